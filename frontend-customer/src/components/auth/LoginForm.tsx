'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { toast } from 'sonner';
import { sessionPost } from '@/lib/api/client';
import { ApiError, userMessage } from '@/lib/api/envelope';
import { safeNext } from '@/lib/format';
import { loginSchema } from '@/lib/validation/schemas';
import { Field } from '../Field';
import { HandledError, useForm } from '../useForm';
import { buttonClass, Spinner } from '../ui';

const FLASH: Record<string, string> = {
  confirmed: 'Account confirmed, please sign in',
  reset: 'Password changed, please sign in',
  expired: 'Your session has expired, please sign in again',
};

export function LoginForm({ next, username, flash }: { next: string; username: string; flash: string | null }) {
  const router = useRouter();
  const form = useForm(loginSchema, { username, password: '' });
  const [error, setError] = useState<string | null>(null);
  const shown = useRef(false);

  useEffect(() => {
    if (flash && FLASH[flash] && !shown.current) {
      shown.current = true;
      if (flash === 'expired') toast.error(FLASH[flash]);
      else toast.success(FLASH[flash]);
    }
  }, [flash]);

  const onSubmit = form.submit(async (v) => {
    setError(null);
    try {
      await sessionPost('login', v);
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) {
        router.push(`/auth/verify?username=${encodeURIComponent(v.username)}`);
        throw new HandledError();
      }
      if (err instanceof ApiError && err.status < 500) {
        setError(userMessage(err));
        throw new HandledError();
      }
      throw err;
    }
    // A full load, so the server layout re-reads the session cookie.
    window.location.assign(safeNext(next));
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {error ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <Field label="Username or email" autoComplete="username" {...form.bind('username')} />
      <Field label="Password" type="password" autoComplete="current-password" {...form.bind('password')} />
      <div className="text-right text-sm">
        <Link prefetch={false} href="/auth/forgot" className="underline">
          Forgot password?
        </Link>
      </div>
      <button type="submit" className={`${buttonClass.primary} w-full`} disabled={form.busy}>
        {form.pending ? <Spinner label="Signing in" /> : null}
        Sign in
      </button>
      <p className="text-center text-sm">
        New here?{' '}
        <Link prefetch={false} href="/auth/signup" className="underline">
          Create an account
        </Link>
      </p>
    </form>
  );
}
