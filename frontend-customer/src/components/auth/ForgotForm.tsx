'use client';
// Forgot password: identifier → code + new password → login with a toast (frontends.md §2.1, §2.3).
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { toast } from 'sonner';
import { api } from '@/lib/api/client';
import { ApiError, userMessage } from '@/lib/api/envelope';
import { forgotSchema, resetSchema } from '@/lib/validation/schemas';
import { Field } from '../Field';
import { HandledError, useForm } from '../useForm';
import { buttonClass, Spinner } from '../ui';
import { PasswordPolicy } from './PasswordPolicy';

export function ForgotForm() {
  const router = useRouter();
  const [identifier, setIdentifier] = useState<string | null>(null);
  const ask = useForm(forgotSchema, { username: '' });
  const reset = useForm(resetSchema, { code: '', password: '', confirm: '' });

  const onAsk = ask.submit(async (v) => {
    await api.auth.forgotPassword(v.username);
    toast.success('If the account exists, a code is on its way');
    setIdentifier(v.username);
  });

  const onReset = reset.submit(async (v) => {
    try {
      await api.auth.resetPassword(identifier ?? '', v.code, v.password);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        reset.setErrors(/password|policy/i.test(err.message) ? { password: userMessage(err) } : { code: userMessage(err) });
        throw new HandledError();
      }
      throw err;
    }
    router.push(`/auth/login?reset=1&username=${encodeURIComponent(identifier ?? '')}`);
  });

  if (!identifier) {
    return (
      <form onSubmit={onAsk} noValidate className="space-y-4">
        <Field label="Username or email" autoComplete="username" {...ask.bind('username')} />
        <button type="submit" className={`${buttonClass.primary} w-full`} disabled={ask.busy}>
          {ask.pending ? <Spinner label="Sending" /> : null}
          Send code
        </button>
      </form>
    );
  }
  return (
    <form onSubmit={onReset} noValidate className="space-y-4">
      <p className="text-sm text-gray-700">Enter the code we sent for {identifier} and choose a new password.</p>
      <Field label="Code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} {...reset.bind('code')} />
      <Field label="New password" type="password" autoComplete="new-password" hint={<PasswordPolicy value={reset.values.password} />} {...reset.bind('password')} />
      <Field label="Confirm new password" type="password" autoComplete="new-password" {...reset.bind('confirm')} />
      <button type="submit" className={`${buttonClass.primary} w-full`} disabled={reset.busy}>
        {reset.pending ? <Spinner label="Saving" /> : null}
        Change password
      </button>
    </form>
  );
}
