'use client';
// Toasts after mutations (frontends.md §1.5, §3.1): success text, the 4xx text, the role message for a 403.
import { toast } from 'sonner';
import { ApiError, displayMessage } from '@/lib/api/envelope';

export function toastError(err: unknown, conflict?: string) {
  if (err instanceof ApiError) {
    if (err.status === 401) return; // the client wrapper already sent the person to the login page
    if (err.status === 403) return void toast.error('Your role does not allow this');
    if (err.status === 409 && conflict) return void toast.error(conflict);
  }
  toast.error(displayMessage(err));
}

export const toastOk = (msg: string) => void toast.success(msg);
