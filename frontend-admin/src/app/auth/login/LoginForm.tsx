'use client';
// Sign-in (frontends.md §1.3, §3.2): errors inline; customers are told they have no access. The inputs are
// uncontrolled, so what is typed before hydration is kept; the submit button waits for hydration.
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useRef, useState } from 'react';
import { toast } from 'sonner';
import { Button, Field, Input, errProps } from '@/components/ui';
import { safeNext } from '@/lib/next-param';
import { fieldErrors, loginSchema } from '@/lib/validation/schemas';

export function LoginForm() {
  const params = useSearchParams();
  const next = safeNext(params.get('next'));
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const read = () => {
    const fd = new FormData(formRef.current ?? undefined);
    return { username: String(fd.get('username') ?? ''), password: String(fd.get('password') ?? '') };
  };
  const check = (only?: string) => {
    const r = loginSchema.safeParse(read());
    const errs = r.success ? {} : fieldErrors(r.error);
    setErrors((e) => (only ? { ...e, [only]: errs[only] ?? '' } : errs));
    return r;
  };

  const onSubmit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (pending) return;
    setError(null);
    const r = check();
    if (!r.success) return;
    setPending(true);
    try {
      const res = await fetch('/api/session/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-eshop-client': '1' },
        body: JSON.stringify(r.data),
      }).catch(() => null);
      if (!res) {
        setError('The server cannot be reached, try again');
        return;
      }
      if (res.ok) {
        toast.success('Signed in');
        // a full load, so the server layout reads the new session
        window.location.assign(new URL(next, window.location.origin).href);
        return;
      }
      const body = await res.json().catch(() => null);
      let msg: string = body?.error?.message ?? 'Sign-in failed';
      if (res.status === 429) {
        const ra = res.headers.get('retry-after');
        if (ra) msg = `${msg} — try again in ${ra} s`;
      }
      setError(msg);
    } finally {
      setPending(false);
    }
  };

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Sign in">
      <h1 className="text-xl font-semibold">Sign in</h1>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 p-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <Field id="username" label="Username or email" error={errors.username || undefined}>
        <Input name="username" autoComplete="username" {...errProps('username', errors.username || undefined)} onBlur={() => check('username')} />
      </Field>
      <Field id="password" label="Password" error={errors.password || undefined}>
        <Input name="password" type="password" autoComplete="current-password" {...errProps('password', errors.password || undefined)} onBlur={() => check('password')} />
      </Field>
      <Button type="submit" className="w-full" pending={pending}>
        Sign in
      </Button>
      <p className="text-center text-sm">
        <Link href="/auth/forgot" className="text-blue-700 underline">
          Forgot password?
        </Link>
      </p>
    </form>
  );
}
