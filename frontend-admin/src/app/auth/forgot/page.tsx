'use client';
// Password reset: username or email → code and new password → back to login (frontends.md §3.2).
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { toast } from 'sonner';
import { useZodForm } from '@/components/hooks';
import { toastError } from '@/components/notify';
import { Button, Field, Input, errProps } from '@/components/ui';
import { ApiError } from '@/lib/api/envelope';
import { forgotPassword, resetPassword } from '@/lib/api/auth';
import { forgotSchema, resetSchema } from '@/lib/validation/schemas';

export default function ForgotPage() {
  const router = useRouter();
  const [step, setStep] = useState<'ask' | 'reset'>('ask');
  const ask = useZodForm(forgotSchema, { username: '' });
  const reset = useZodForm(resetSchema, { username: '', code: '', password: '', confirm: '' });

  if (step === 'ask') {
    return (
      <form
        noValidate
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          ask
            .submit(async (v) => {
              await forgotPassword(v.username);
              reset.setValues({ username: v.username, code: '', password: '', confirm: '' });
              setStep('reset');
              toast.success('If the account exists, a code is on its way');
            })
            .catch((err) => toastError(err));
        }}
      >
        <h1 className="text-xl font-semibold">Forgot password</h1>
        <Field id="fp-username" label="Username or email" error={ask.errors.username}>
          <Input autoComplete="username" {...errProps('fp-username', ask.errors.username)} {...ask.bind('username')} />
        </Field>
        <Button type="submit" className="w-full" pending={ask.pending}>
          Send code
        </Button>
        <p className="text-center text-sm">
          <Link href="/auth/login" className="text-blue-700 underline">
            Back to sign in
          </Link>
        </p>
      </form>
    );
  }
  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        reset
          .submit(async (v) => {
            await resetPassword(v.username, v.code, v.password);
            toast.success('Password changed, please sign in');
            router.push('/auth/login');
          })
          .catch((err) => {
            if (err instanceof ApiError && err.status === 422) reset.setErrors((x) => ({ ...x, code: err.message }));
            else toastError(err);
          });
      }}
    >
      <h1 className="text-xl font-semibold">Set a new password</h1>
      <Field id="rp-code" label="Code" error={reset.errors.code}>
        <Input inputMode="numeric" autoComplete="one-time-code" {...errProps('rp-code', reset.errors.code)} {...reset.bind('code')} />
      </Field>
      <Field id="rp-password" label="New password" error={reset.errors.password} hint="At least 8 characters with upper case, lower case and a digit">
        <Input type="password" autoComplete="new-password" {...errProps('rp-password', reset.errors.password)} {...reset.bind('password')} />
      </Field>
      <Field id="rp-confirm" label="Confirm new password" error={reset.errors.confirm}>
        <Input type="password" autoComplete="new-password" {...errProps('rp-confirm', reset.errors.confirm)} {...reset.bind('confirm')} />
      </Field>
      <Button type="submit" className="w-full" pending={reset.pending}>
        Change password
      </Button>
    </form>
  );
}
