'use client';
// Change password from the user menu (auth change-password; a wrong current password is a field error).
import { ApiError } from '@/lib/api/envelope';
import { changePassword } from '@/lib/api/auth';
import { changePasswordSchema } from '@/lib/validation/schemas';
import { Dialog } from './Dialog';
import { useZodForm } from './hooks';
import { toastError, toastOk } from './notify';
import { Button, Field, Input, errProps } from './ui';

export function ChangePasswordDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const form = useZodForm(changePasswordSchema, { current_password: '', new_password: '', confirm: '' });
  const close = () => {
    form.reset();
    onClose();
  };
  const save = () =>
    form
      .submit(async (v) => {
        await changePassword(v.current_password, v.new_password);
        toastOk('Password changed');
        close();
      })
      .catch((err) => {
        if (err instanceof ApiError && err.status === 422 && /current/i.test(err.message)) {
          form.setErrors((e) => ({ ...e, current_password: 'Current password is incorrect' }));
        } else if (err instanceof ApiError && err.status === 422) {
          form.setErrors((e) => ({ ...e, new_password: err.message }));
        } else toastError(err);
      });
  return (
    <Dialog
      open={open}
      title="Change password"
      onClose={close}
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button onClick={save} pending={form.pending}>
            Change password
          </Button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
        className="space-y-3"
      >
        <Field id="cp-current" label="Current password" error={form.errors.current_password}>
          <Input type="password" autoComplete="current-password" {...errProps('cp-current', form.errors.current_password)} {...form.bind('current_password')} />
        </Field>
        <Field id="cp-new" label="New password" error={form.errors.new_password} hint="At least 8 characters with upper case, lower case and a digit">
          <Input type="password" autoComplete="new-password" {...errProps('cp-new', form.errors.new_password)} {...form.bind('new_password')} />
        </Field>
        <Field id="cp-confirm" label="Confirm new password" error={form.errors.confirm}>
          <Input type="password" autoComplete="new-password" {...errProps('cp-confirm', form.errors.confirm)} {...form.bind('confirm')} />
        </Field>
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
