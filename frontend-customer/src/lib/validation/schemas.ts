// Form schemas shared by the client check and the submit (frontends.md §2.3).
import { z } from 'zod';

export const PASSWORD_RULES: { label: string; test: (s: string) => boolean }[] = [
  { label: 'At least 8 characters', test: (s) => s.length >= 8 && s.length <= 256 },
  { label: 'An upper-case letter', test: (s) => /[A-Z]/.test(s) },
  { label: 'A lower-case letter', test: (s) => /[a-z]/.test(s) },
  { label: 'A digit', test: (s) => /[0-9]/.test(s) },
];

export const password = z
  .string()
  .min(8, 'At least 8 characters')
  .max(256, 'At most 256 characters')
  .refine((s) => /[A-Z]/.test(s), 'Needs an upper-case letter')
  .refine((s) => /[a-z]/.test(s), 'Needs a lower-case letter')
  .refine((s) => /[0-9]/.test(s), 'Needs a digit');

const email = z.string().trim().min(1, 'Email is required').max(254, 'At most 254 characters').pipe(z.email('Enter a valid email address'));

export const signupSchema = z
  .object({
    email,
    username: z
      .string()
      .trim()
      .min(3, '3 to 32 characters')
      .max(32, '3 to 32 characters')
      .regex(/^[A-Za-z0-9._-]+$/, 'Letters, digits, dot, underscore and hyphen only'),
    name: z.string().trim().min(1, 'Name is required').max(100, 'At most 100 characters'),
    password,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'Passwords do not match' });

export const code = z.string().trim().regex(/^[0-9]{6}$/, 'Enter the 6-digit code');

export const verifySchema = z.object({ username: z.string().trim().min(1, 'Username is required'), code });

export const loginSchema = z.object({
  username: z.string().trim().min(1, 'Enter your username or email').max(254),
  password: z.string().min(1, 'Enter your password').max(256),
});

export const forgotSchema = z.object({ username: z.string().trim().min(1, 'Enter your username or email').max(254) });

export const resetSchema = z
  .object({ code, password, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'Passwords do not match' });

export const changePasswordSchema = z
  .object({ current: z.string().min(1, 'Enter your current password'), password, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'Passwords do not match' });

export const addressSchema = z.object({
  street: z.string().trim().min(1, 'Street is required').max(200, 'At most 200 characters'),
  city: z.string().trim().min(1, 'City is required').max(100, 'At most 100 characters'),
  state: z.string().trim().min(1, 'State is required').max(100, 'At most 100 characters'),
  zipcode: z.string().trim().regex(/^[0-9]{3,10}$/, 'Enter 3 to 10 digits'),
});

export const checkoutSchema = addressSchema.extend({ note: z.string().max(255, 'At most 255 characters') });

export const profileSchema = z.object({
  street: z.string(),
  city: z.string(),
  state: z.string(),
  zipcode: z.string(),
  name: z.string().trim().min(1, 'Name is required').max(100, 'At most 100 characters'),
  phone: z
    .string()
    .trim()
    .refine((s) => s === '' || /^\+[0-9]{7,15}$/.test(s), 'Use the international format, e.g. +15551234567'),
});

/** Account form: either the whole address or none of it. */
export const accountSchema = profileSchema.superRefine((v, ctx) => {
  const parts = [v.street, v.city, v.state, v.zipcode].map((s) => (s ?? '').trim());
  if (parts.every((p) => p === '')) return;
  const r = addressSchema.safeParse({ street: v.street ?? '', city: v.city ?? '', state: v.state ?? '', zipcode: v.zipcode ?? '' });
  if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

export const MAX_PROOF_BYTES_DEFAULT = 5_242_880;
export const PROOF_ACCEPT = 'image/jpeg,image/png,image/webp,application/pdf';

/** Client-side check of a proof file (type and size) before sending; null when fine. */
export function proofFileError(file: { size: number; type: string } | null, maxBytes: number): string | null {
  if (!file) return 'Choose a file';
  if (file.size > maxBytes) return `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB`;
  if (file.size === 0) return 'The file is empty';
  if (file.type && !PROOF_ACCEPT.split(',').includes(file.type)) return 'Use a JPEG, PNG, WebP image or a PDF';
  return null;
}

/** Field errors of a zod result, first message per field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_');
    out[key] ??= issue.message;
  }
  return out;
}
