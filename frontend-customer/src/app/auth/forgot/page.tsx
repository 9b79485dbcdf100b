import type { Metadata } from 'next';
import { ForgotForm } from '@/components/auth/ForgotForm';

export const metadata: Metadata = { title: 'Forgot password' };

export default function ForgotPage() {
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-6 text-3xl font-bold">Reset your password</h1>
      <ForgotForm />
    </div>
  );
}
