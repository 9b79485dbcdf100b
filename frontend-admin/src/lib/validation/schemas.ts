// Form rules of the admin console (frontends.md §3.4), shared by the client check and the submit.
// Inputs are the strings of the form fields; the parsed output is what the service receives.
import { z } from 'zod';

const req = (label: string) => z.string().trim().min(1, `${label} is required`);
const upTo = (label: string, max: number) => req(label).max(max, `${label} must be at most ${max} characters`);

export const loginSchema = z.object({
  username: z.string().trim().min(1, 'Enter your username or email').max(254, 'Too long'),
  password: z.string().min(1, 'Enter your password').max(256, 'Too long'),
});

export const PRICE_MAX = 10_000_000_000;
export const priceField = z
  .string()
  .trim()
  .min(1, 'Price is required')
  .regex(/^\d+(\.\d{1,2})?$/, 'Enter a price like 1234.50 (at most 2 decimals)')
  .refine((v) => Number(v) > 0, 'Price must be greater than 0')
  .refine((v) => Number(v) < PRICE_MAX, 'Price must be below 10,000,000,000');

export const quantityField = z
  .string()
  .trim()
  .min(1, 'Quantity is required')
  .regex(/^\d+$/, 'Quantity must be a whole number')
  .refine((v) => Number(v) <= 1_000_000, 'Quantity must be at most 1,000,000');

export const productSchema = z.object({
  name: upTo('Name', 200),
  description: upTo('Description', 10_000),
  price: priceField,
  category_id: z.string().min(1, 'Choose a category'),
});
export const productCreateSchema = productSchema.extend({ quantity: quantityField });

export const PRODUCT_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

/** The image rule of the product form: JPEG/PNG/WebP/GIF ≤ max bytes; required on create only. */
export function checkProductImage(file: { type: string; size: number } | null | undefined, maxBytes: number, required: boolean): string | null {
  if (!file) return required ? 'Choose an image' : null;
  if (!PRODUCT_IMAGE_TYPES.includes(file.type)) return 'The image must be JPEG, PNG, WebP or GIF';
  if (file.size === 0) return 'The image file is empty';
  if (file.size > maxBytes) return `The image must be at most ${formatMiB(maxBytes)}`;
  return null;
}

export const formatMiB = (bytes: number) => `${Math.round((bytes / 1_048_576) * 10) / 10} MiB`;

export const categorySchema = z.object({ name: upTo('Name', 100), parent_id: z.string() });

export const warehouseSchema = z.object({
  name: upTo('Name', 200),
  street: upTo('Street', 300),
  city: upTo('City', 100),
  state: upTo('State', 100),
  zip_code: z.string().trim().regex(/^[0-9]{5}$/, 'Zip code must be 5 digits'),
});

/** Move stock: the quantity bound is the available amount at the chosen source. */
export function moveSchema(available: number | null) {
  return z
    .object({
      product_id: z.string().min(1, 'Choose a product'),
      from_warehouse_id: z.string().min(1, 'Choose the source warehouse'),
      to_warehouse_id: z.string().min(1, 'Choose the destination warehouse'),
      quantity: z
        .string()
        .trim()
        .regex(/^\d+$/, 'Quantity must be a whole number')
        .refine((v) => Number(v) >= 1, 'Quantity must be at least 1')
        .refine((v) => available === null || Number(v) <= available, `Only ${available ?? 0} available at the source`),
      note: z.string().trim().max(500, 'Note must be at most 500 characters'),
    })
    .refine((v) => !v.to_warehouse_id || v.to_warehouse_id !== v.from_warehouse_id, {
      path: ['to_warehouse_id'],
      message: 'Destination must differ from the source',
    });
}

export const adjustSchema = z.object({
  delta: z
    .string()
    .trim()
    .regex(/^[-+]?\d+$/, 'Change must be a whole number, e.g. 20 or -3')
    .refine((v) => Number(v) !== 0, 'Change cannot be 0')
    .refine((v) => Math.abs(Number(v)) <= 1_000_000, 'At most 1,000,000'),
  note: upTo('Note', 500),
});

export const thresholdSchema = z.object({
  threshold: z
    .string()
    .trim()
    .refine((v) => v === '' || (/^\d+$/.test(v) && Number(v) <= 1_000_000), 'Enter a whole number 0–1,000,000, or leave empty for the default'),
});

/** Order status change / cancel: the note is required for FAILED and for an admin cancel. */
export function statusNoteSchema(noteRequired: boolean) {
  return z.object({
    note: noteRequired
      ? upTo('Note', 1000)
      : z.string().trim().max(1000, 'Note must be at most 1000 characters'),
  });
}

export const refundSchema = z.object({ note: upTo('Note', 500) });

export const reviewSchema = z
  .object({
    decision: z.enum(['APPROVED', 'REJECTED'], { error: 'Choose Approve or Reject' }),
    note: z.string().trim().max(500, 'Note must be at most 500 characters'),
  })
  .refine((v) => v.decision !== 'REJECTED' || v.note.length > 0, { path: ['note'], message: 'A note is required to reject' });

export const passwordPolicy = z
  .string()
  .min(8, 'At least 8 characters')
  .max(256, 'At most 256 characters')
  .regex(/[A-Z]/, 'An upper-case letter')
  .regex(/[a-z]/, 'A lower-case letter')
  .regex(/[0-9]/, 'A digit');

export const forgotSchema = z.object({ username: z.string().trim().min(1, 'Enter your username or email') });

export const resetSchema = z
  .object({
    username: z.string().trim().min(1, 'Enter your username or email'),
    code: z.string().trim().regex(/^[0-9]{6}$/, 'The code has 6 digits'),
    password: passwordPolicy,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'Passwords do not match' });

export const changePasswordSchema = z
  .object({
    current_password: z.string().min(1, 'Enter your current password'),
    new_password: passwordPolicy,
    confirm: z.string(),
  })
  .refine((v) => v.new_password === v.confirm, { path: ['confirm'], message: 'Passwords do not match' });

export const MAX_RANGE_DAYS = 366;
export const salesFilterSchema = z
  .object({
    from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Choose a start date'),
    to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Choose an end date'),
  })
  .refine((v) => v.from <= v.to, { path: ['to'], message: 'The end date must not be before the start date' })
  .refine((v) => (Date.parse(v.to) - Date.parse(v.from)) / 86_400_000 < MAX_RANGE_DAYS, {
    path: ['to'],
    message: 'At most 366 days',
  });

/** First error message per field of a failed parse. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    if (!out[key]) out[key] = issue.message;
  }
  return out;
}
