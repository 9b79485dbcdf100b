'use client';
// Form state with a zod schema: errors on blur and on submit, server causes mapped to fields (§1.5).
import { useCallback, useRef, useState } from 'react';
import type { z } from 'zod';
import { toast } from 'sonner';
import { ApiError, userMessage } from '@/lib/api/envelope';
import { fieldErrors } from '@/lib/validation/schemas';
import { useHydrated } from './useHydrated';

export function useForm<S extends z.ZodType<Record<string, unknown>>>(schema: S, initial: Record<string, string>) {
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();
  // Fields whose DOM value was already compared with the state once (see `ref` in bind).
  const adopted = useRef(new Set<string>());

  const validate = useCallback((v: Record<string, string>) => {
    const r = schema.safeParse(v);
    return r.success ? {} : fieldErrors(r.error);
  }, [schema]);

  const bind = (name: string) => ({
    name,
    value: values[name] ?? '',
    // Text typed before hydration stays in the input but never reached the state: adopt it on first attach.
    ref: (el: HTMLInputElement | HTMLTextAreaElement | null) => {
      if (!el || adopted.current.has(name)) return;
      adopted.current.add(name);
      const typed = el.value;
      if (typed !== '') setValues((v) => (v[name] === typed ? v : { ...v, [name]: typed }));
    },
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      const next = { ...values, [name]: e.target.value };
      setValues(next);
      if (touched[name]) setErrors((old) => ({ ...old, [name]: validate(next)[name] ?? '' }));
    },
    onBlur: () => {
      setTouched((t) => ({ ...t, [name]: true }));
      setErrors((old) => ({ ...old, [name]: validate(values)[name] ?? '' }));
    },
    error: errors[name] || undefined,
  });

  /** Validates everything; runs `action` with the parsed values when valid. Server causes go to fields. */
  const submit = (action: (data: z.infer<S>) => Promise<void>) => async (e?: React.FormEvent) => {
    e?.preventDefault();
    if (pending) return;
    const r = schema.safeParse(values);
    setTouched(Object.fromEntries(Object.keys(values).map((k) => [k, true])));
    if (!r.success) {
      setErrors(fieldErrors(r.error));
      return;
    }
    setErrors({});
    setPending(true);
    try {
      await action(r.data);
    } catch (err) {
      if (err instanceof ApiError && err.causes.length) {
        setErrors(Object.fromEntries(err.causes.map((c) => [mapField(c.field), c.message])));
      }
      if (!(err instanceof HandledError)) toast.error(userMessage(err));
    } finally {
      setPending(false);
    }
  };

    /** Submit buttons: disabled while sending and until the form is hydrated. */
  const busy = pending || !hydrated;
  return { values, setValues, errors, setErrors, bind, submit, pending, busy };
}

const FIELD_ALIASES: Record<string, string> = { 'address.zipcode': 'zipcode', 'address.street': 'street', 'address.city': 'city', 'address.state': 'state', phone_number: 'phone', new_password: 'password', current_password: 'current' };
const mapField = (f: string) => FIELD_ALIASES[f] ?? f.replace(/^address\./, '');

/** Thrown by a form action that already told the person what went wrong. */
export class HandledError extends Error {}
