'use client';
import { useState } from 'react';
import { toast } from 'sonner';
import { api, sessionPost } from '@/lib/api/client';
import { ApiError, userMessage } from '@/lib/api/envelope';
import type { User } from '@/lib/api/types';
import { accountSchema, changePasswordSchema } from '@/lib/validation/schemas';
import { PasswordPolicy } from './auth/PasswordPolicy';
import { ConfirmDialog, Dialog } from './Dialog';
import { Field } from './Field';
import { HandledError, useForm } from './useForm';
import { buttonClass, Spinner } from './ui';

const fromUser = (u: User) => ({
  name: u.name ?? '',
  phone: u.phone_number ?? '',
  street: u.address?.street ?? '',
  city: u.address?.city ?? '',
  state: u.address?.state ?? '',
  zipcode: u.address?.zipcode ?? '',
});

export function AccountView({ initial }: { initial: User }) {
  const [user, setUser] = useState(initial);
  const [editing, setEditing] = useState(false);
  const [pwOpen, setPwOpen] = useState(false);
  const [delOpen, setDelOpen] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const form = useForm(accountSchema, fromUser(initial));

  const save = form.submit(async (v) => {
    const hasAddress = [v.street, v.city, v.state, v.zipcode].some((s) => (s ?? '').trim() !== '');
    const { data } = await api.auth.updateMe({
      name: v.name,
      phone_number: v.phone ? v.phone : null,
      address: hasAddress ? { street: v.street!.trim(), city: v.city!.trim(), state: v.state!.trim(), zipcode: v.zipcode!.trim() } : null,
    });
    setUser(data);
    form.setValues(fromUser(data));
    setEditing(false);
    toast.success('Profile saved');
  });

  const deleteAccount = async () => {
    setDeleting(true);
    try {
      await api.auth.deleteMe();
      await sessionPost('logout').catch(() => null);
      toast.success('Your account was deleted');
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load, so the server layout re-reads the session cookie
      window.location.assign('/');
    } catch (err) {
      toast.error(userMessage(err));
      setDeleting(false);
    }
  };

  const row = (label: string, value: React.ReactNode) => (
    <div className="grid grid-cols-3 gap-2 py-2">
      <dt className="text-sm text-gray-600">{label}</dt>
      <dd className="col-span-2 text-sm">{value || <span className="text-gray-400">Not set</span>}</dd>
    </div>
  );

  return (
    <div className="space-y-6">
      <section className="rounded-lg border border-gray-200 p-4">
        {editing ? (
          <form onSubmit={save} noValidate className="space-y-3" aria-label="Edit profile">
            <Field label="Username" value={user.username} readOnly />
            <Field label="Email" value={user.email} readOnly />
            <Field label="Name" autoComplete="name" {...form.bind('name')} />
            <Field label="Phone" type="tel" autoComplete="tel" placeholder="+15551234567" {...form.bind('phone')} />
            <Field label="Street" autoComplete="street-address" {...form.bind('street')} />
            <div className="grid grid-cols-2 gap-3">
              <Field label="City" autoComplete="address-level2" {...form.bind('city')} />
              <Field label="State" autoComplete="address-level1" {...form.bind('state')} />
            </div>
            <Field label="Zipcode" inputMode="numeric" autoComplete="postal-code" {...form.bind('zipcode')} />
            <div className="flex gap-2">
              <button type="submit" className={buttonClass.primary} disabled={form.busy}>
                {form.pending ? <Spinner label="Saving" /> : null}
                Save
              </button>
              <button
                type="button"
                className={buttonClass.secondary}
                onClick={() => {
                  form.setValues(fromUser(user));
                  form.setErrors({});
                  setEditing(false);
                }}
              >
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <>
            <dl className="divide-y divide-gray-100">
              {row('Username', user.username)}
              {row('Email', user.email)}
              {row('Name', user.name)}
              {row('Phone', user.phone_number)}
              {row('Address', user.address ? `${user.address.street}, ${user.address.city}, ${user.address.state} ${user.address.zipcode}` : null)}
            </dl>
            <button type="button" className={`${buttonClass.primary} mt-3`} onClick={() => setEditing(true)}>
              Edit
            </button>
          </>
        )}
      </section>
      <section className="flex flex-wrap gap-3">
        <button type="button" className={buttonClass.secondary} onClick={() => setPwOpen(true)}>
          Change password
        </button>
        <button type="button" className={buttonClass.danger} onClick={() => setDelOpen(true)}>
          Delete account
        </button>
      </section>
      <Dialog open={pwOpen} title="Change password" onClose={() => setPwOpen(false)}>
        <ChangePasswordForm onDone={() => setPwOpen(false)} />
      </Dialog>
      <ConfirmDialog
        open={delOpen}
        title="Delete your account?"
        body="Your sign-in data (name, email, phone and address) is removed and you are signed out. Your orders are kept."
        confirmLabel="Delete account"
        danger
        pending={deleting}
        onConfirm={deleteAccount}
        onClose={() => setDelOpen(false)}
      />
    </div>
  );
}

function ChangePasswordForm({ onDone }: { onDone: () => void }) {
  const form = useForm(changePasswordSchema, { current: '', password: '', confirm: '' });
  const submit = form.submit(async (v) => {
    try {
      await api.auth.changePassword(v.current, v.password);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        form.setErrors(/current/i.test(err.message) ? { current: userMessage(err) } : { password: userMessage(err) });
        throw new HandledError();
      }
      throw err;
    }
    toast.success('Password changed');
    onDone();
  });
  return (
    <form onSubmit={submit} noValidate className="space-y-3">
      <Field label="Current password" type="password" autoComplete="current-password" {...form.bind('current')} />
      <Field label="New password" type="password" autoComplete="new-password" hint={<PasswordPolicy value={form.values.password} />} {...form.bind('password')} />
      <Field label="Confirm new password" type="password" autoComplete="new-password" {...form.bind('confirm')} />
      <div className="flex justify-end gap-2">
        <button type="button" className={buttonClass.secondary} onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className={buttonClass.primary} disabled={form.busy}>
          {form.pending ? <Spinner label="Saving" /> : null}
          Change password
        </button>
      </div>
    </form>
  );
}
