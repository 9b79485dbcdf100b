'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { toast } from 'sonner';
import { api } from '@/lib/api/client';
import { ApiError } from '@/lib/api/envelope';
import { signupSchema } from '@/lib/validation/schemas';
import { Field } from '../Field';
import { HandledError, useForm } from '../useForm';
import { buttonClass, Spinner } from '../ui';
import { PasswordPolicy } from './PasswordPolicy';

export function SignupForm() {
  const router = useRouter();
  const form = useForm(signupSchema, { email: '', username: '', name: '', password: '', confirm: '' });
  const onSubmit = form.submit(async (v) => {
    try {
      const { data } = await api.auth.signup({ email: v.email, username: v.username, name: v.name, password: v.password });
      toast.success('Check your email for the confirmation code');
      router.push(`/auth/verify?username=${encodeURIComponent(data?.username ?? v.username.toLowerCase())}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        const field = /email/i.test(err.message) ? 'email' : 'username';
        form.setErrors({ [field]: err.message });
        throw new HandledError();
      }
      if (err instanceof ApiError && err.status === 422) {
        form.setErrors({ password: err.message });
        throw new HandledError();
      }
      throw err;
    }
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <Field label="Email" type="email" autoComplete="email" {...form.bind('email')} />
      <Field label="Username" autoComplete="username" {...form.bind('username')} />
      <Field label="Name" autoComplete="name" {...form.bind('name')} />
      <Field label="Password" type="password" autoComplete="new-password" hint={<PasswordPolicy value={form.values.password} />} {...form.bind('password')} />
      <Field label="Confirm password" type="password" autoComplete="new-password" {...form.bind('confirm')} />
      <button type="submit" className={`${buttonClass.primary} w-full`} disabled={form.busy}>
        {form.pending ? <Spinner label="Signing up" /> : null}
        Sign up
      </button>
      <p className="text-center text-sm">
        Already have an account?{' '}
        <Link prefetch={false} href="/auth/login" className="underline">
          Sign in
        </Link>
      </p>
    </form>
  );
}
