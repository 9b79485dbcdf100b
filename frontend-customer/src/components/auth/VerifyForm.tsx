'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { toast } from 'sonner';
import { api } from '@/lib/api/client';
import { ApiError, userMessage } from '@/lib/api/envelope';
import { verifySchema } from '@/lib/validation/schemas';
import { Field } from '../Field';
import { HandledError, useForm } from '../useForm';
import { buttonClass, Spinner } from '../ui';

export function VerifyForm({ username }: { username: string }) {
  const router = useRouter();
  const form = useForm(verifySchema, { username, code: '' });
  const [cooldown, setCooldown] = useState(0);

  useEffect(() => {
    if (cooldown <= 0) return;
    const t = window.setTimeout(() => setCooldown((c) => c - 1), 1000);
    return () => window.clearTimeout(t);
  }, [cooldown]);

  const onSubmit = form.submit(async (v) => {
    try {
      await api.auth.confirm(v.username, v.code);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        form.setErrors({ code: userMessage(err) });
        throw new HandledError();
      }
      if (!(err instanceof ApiError && err.status === 409)) throw err; // 409 = already confirmed: go on
    }
    router.push(`/auth/login?confirmed=1&username=${encodeURIComponent(v.username)}`);
  });

  const resend = async () => {
    setCooldown(30);
    try {
      await api.auth.resendCode(form.values.username);
      toast.success('A new code is on its way');
    } catch (err) {
      if (err instanceof ApiError && err.status === 429 && err.retryAfter) setCooldown(err.retryAfter);
      toast.error(userMessage(err));
    }
  };

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <Field label="Username" readOnly {...form.bind('username')} />
      <Field label="Confirmation code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} {...form.bind('code')} />
      <button type="submit" className={`${buttonClass.primary} w-full`} disabled={form.busy}>
        {form.pending ? <Spinner label="Confirming" /> : null}
        Confirm
      </button>
      <button type="button" className={`${buttonClass.secondary} w-full`} disabled={cooldown > 0 || !form.values.username} onClick={resend}>
        {cooldown > 0 ? `Resend code (${cooldown} s)` : 'Resend code'}
      </button>
    </form>
  );
}
