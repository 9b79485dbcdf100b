'use client';
// Data hooks of the console: a query that refetches on focus and after mutations, URL-held filters, and a
// zod-backed form state.
import { useCallback, useEffect, useRef, useState } from 'react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import type { z } from 'zod';
import { ApiError, causesByField, displayMessage } from '@/lib/api/envelope';
import { fieldErrors } from '@/lib/validation/schemas';

export type QueryState<T> = { data: T | undefined; error: string | null; loading: boolean; reload: () => void; errorObj: unknown };

/**
 * Runs `fn` when `key` changes, on `reload()`, and when the window regains focus (frontends.md §1.4). Old
 * data stays on screen during a refetch; `loading` is true only before the first answer for a key.
 */
export function useQuery<T>(key: string, fn: () => Promise<T>, opts: { enabled?: boolean; intervalMs?: number } = {}): QueryState<T> {
  const enabled = opts.enabled ?? true;
  const [state, setState] = useState<{ key: string; data?: T; error: unknown }>({ key: '', error: null });
  const [tick, setTick] = useState(0);
  const fnRef = useRef(fn);
  useEffect(() => {
    fnRef.current = fn;
  });
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    if (!enabled) return;
    let alive = true;
    fnRef.current().then(
      (data) => alive && setState({ key, data, error: null }),
      (error) => alive && setState((s) => ({ key, data: s.key === key ? s.data : undefined, error })),
    );
    return () => {
      alive = false;
    };
  }, [key, tick, enabled]);

  useEffect(() => {
    if (!enabled) return;
    const onFocus = () => reload();
    window.addEventListener('focus', onFocus);
    const timer = opts.intervalMs ? window.setInterval(() => document.visibilityState === 'visible' && reload(), opts.intervalMs) : undefined;
    return () => {
      window.removeEventListener('focus', onFocus);
      if (timer) window.clearInterval(timer);
    };
  }, [enabled, reload, opts.intervalMs]);

  const current = state.key === key;
  const error = current && state.error ? displayMessage(state.error) : null;
  return { data: current ? state.data : undefined, error, errorObj: current ? state.error : null, loading: enabled && (!current || (state.data === undefined && !state.error)), reload };
}

/** Filters that live in the URL: read with `get`, written with `set` (replace, so Back leaves the page). */
export function useUrlFilters() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const get = useCallback((k: string, fallback = '') => params.get(k) ?? fallback, [params]);
  const set = useCallback(
    (changes: Record<string, string | number | null | undefined>, opts: { keepPage?: boolean } = {}) => {
      const next = new URLSearchParams(params.toString());
      for (const [k, v] of Object.entries(changes)) {
        if (v === null || v === undefined || v === '') next.delete(k);
        else next.set(k, String(v));
      }
      if (!opts.keepPage && !('page' in changes)) next.delete('page');
      const qs = next.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [params, router, pathname],
  );
  const clear = useCallback((keep: string[] = []) => {
    const next = new URLSearchParams();
    for (const k of keep) {
      const v = params.get(k);
      if (v) next.set(k, v);
    }
    const qs = next.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  }, [params, router, pathname]);
  return { params, get, set, clear, key: params.toString() };
}

/** Form state over string fields with a zod schema: errors on blur and on submit, server causes mapped. */
export function useZodForm<S extends z.ZodType>(schema: S | (() => S), initial: Record<string, string>) {
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [pending, setPending] = useState(false);

  const resolve = () => (typeof schema === 'function' ? (schema as () => S)() : schema);
  const validate = (vals: Record<string, string>) => {
    const r = resolve().safeParse(vals);
    return r.success ? {} : fieldErrors(r.error);
  };

  const setValue = (name: string, value: string) => {
    setValues((v) => {
      const next = { ...v, [name]: value };
      if (touched[name]) setErrors((e) => ({ ...e, [name]: validate(next)[name] ?? '' }));
      return next;
    });
  };
  const onBlur = (name: string) => {
    setTouched((t) => ({ ...t, [name]: true }));
    setErrors((e) => ({ ...e, [name]: validate(values)[name] ?? '' }));
  };
  const bind = (name: string) => ({
    name,
    value: values[name] ?? '',
    onChange: (e: { target: { value: string } }) => setValue(name, e.target.value),
    onBlur: () => onBlur(name),
  });

  /** Validates everything; on success runs `fn` with the parsed values, mapping an ApiError's causes. */
  const submit = async (fn: (parsed: z.infer<S>) => Promise<void>, extraCheck?: () => Record<string, string>) => {
    if (pending) return;
    const r = resolve().safeParse(values);
    const extra = extraCheck?.() ?? {};
    const errs = { ...(r.success ? {} : fieldErrors(r.error)), ...extra };
    setTouched(Object.fromEntries(Object.keys(values).map((k) => [k, true])));
    if (!r.success || Object.values(extra).some(Boolean)) {
      setErrors(errs);
      return;
    }
    setErrors({});
    setPending(true);
    try {
      await fn(r.data as z.infer<S>);
    } catch (err) {
      if (err instanceof ApiError && err.causes) setErrors((e) => ({ ...e, ...causesByField(err.causes) }));
      throw err;
    } finally {
      setPending(false);
    }
  };

  return { values, setValues, setValue, errors, setErrors, bind, submit, pending, reset: (v = initial) => (setValues(v), setErrors({}), setTouched({})) };
}
