'use client';
// Users and roles (admin; frontends.md §3.2): one filter at a time (username or email prefix, or role),
// Next/Previous over `next_token`, page size 20 or 60; role change and enable/disable with confirmation;
// the admin's own row is read-only.
import { useEffect, useState } from 'react';
import { ConfirmDialog } from '@/components/Dialog';
import { useQuery, useUrlFilters } from '@/components/hooks';
import { toastError, toastOk } from '@/components/notify';
import { useSession } from '@/components/SessionProvider';
import { Table, TableState, Td } from '@/components/Table';
import { Badge, Button, Input, PageHeader, Select } from '@/components/ui';
import { listUsers, setUserEnabled, setUserRole } from '@/lib/api/auth';
import type { User } from '@/lib/api/types';
import { ROLES, ROLE_LABELS, type Role } from '@/lib/roles';

type Pending = { kind: 'role'; user: User; role: Role } | { kind: 'enabled'; user: User; enabled: boolean };
type FilterKind = 'username' | 'email' | 'role';

export function UsersView() {
  const me = useSession();
  const f = useUrlFilters();
  const kind: FilterKind = f.get('role') ? 'role' : f.get('email') ? 'email' : 'username';
  const value = f.get(kind);
  const size = f.get('size') === '60' ? 60 : 20;
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const [text, setText] = useState(kind === 'role' ? '' : value);
  const [filterKind, setFilterKind] = useState<FilterKind>(kind);
  const token = tokens[tokens.length - 1];
  const setFilters = f.set;

  const [lastKey, setLastKey] = useState(f.key);
  if (f.key !== lastKey) {
    // another filter: back to the first page
    setLastKey(f.key);
    setTokens([undefined]);
  }
  useEffect(() => {
    if (filterKind === 'role') return;
    const current = kind === filterKind ? value : '';
    if (text.trim() === current) return;
    const t = setTimeout(() => setFilters({ username: null, email: null, role: null, [filterKind]: text.trim() }), 300);
    return () => clearTimeout(t);
  }, [text, filterKind, kind, value, setFilters]);

  const list = useQuery(`users-${f.key}-${token ?? ''}`, () => listUsers({ [kind]: value || undefined, limit: size, next_token: token }));
  const users = list.data?.users ?? [];
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [overrides, setOverrides] = useState<Record<string, User>>({});

  const apply = async () => {
    if (!pending) return;
    setBusy(true);
    try {
      const updated =
        pending.kind === 'role' ? await setUserRole(pending.user.user_id, pending.role) : await setUserEnabled(pending.user.user_id, pending.enabled);
      setOverrides((o) => ({ ...o, [updated.user_id]: updated }));
      toastOk(
        pending.kind === 'role'
          ? `${pending.user.username} is now ${ROLE_LABELS[pending.role].toLowerCase()}`
          : `${pending.user.username} ${pending.enabled ? 'enabled' : 'disabled'}`,
      );
      setPending(null);
      list.reload();
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <PageHeader title="Users" />
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <Select
          aria-label="Filter by"
          className="w-36"
          value={filterKind}
          onChange={(e) => {
            const k = e.target.value as FilterKind;
            setFilterKind(k);
            setText('');
            f.set({ username: null, email: null, role: null });
          }}
        >
          <option value="username">Username</option>
          <option value="email">Email</option>
          <option value="role">Role</option>
        </Select>
        {filterKind === 'role' ? (
          <Select aria-label="Role" className="w-52" value={f.get('role')} onChange={(e) => f.set({ username: null, email: null, role: e.target.value })}>
            <option value="">Any role</option>
            {ROLES.filter((r) => r !== 'customer').map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </Select>
        ) : (
          <Input type="search" aria-label={filterKind === 'email' ? 'Email starts with' : 'Username starts with'} placeholder={filterKind === 'email' ? 'Email starts with…' : 'Username starts with…'} className="w-64" value={text} onChange={(e) => setText(e.target.value)} />
        )}
      </div>
      <Table label="Users" head={['Username', 'Email', 'Name', 'Role', 'Status', 'Enabled', 'Actions']}>
        <TableState cols={7} loading={list.loading} error={list.error} empty={!users.length} onRetry={list.reload} onClear={() => { setText(''); f.clear(); }} />
        {!list.loading &&
          !list.error &&
          users.map((u0) => {
            const u = overrides[u0.user_id] && overrides[u0.user_id].updated_at >= u0.updated_at ? overrides[u0.user_id] : u0;
            const own = !!me && u.username === me.username;
            return (
              <tr key={u.user_id} data-testid="user-row" data-username={u.username}>
                <Td className="font-medium">
                  {u.username} {own && <Badge>You</Badge>}
                </Td>
                <Td>{u.email}</Td>
                <Td>{u.name ?? '—'}</Td>
                <Td>
                  {own ? (
                    ROLE_LABELS[u.role]
                  ) : (
                    <Select
                      aria-label={`Role of ${u.username}`}
                      className="h-8 w-48"
                      value={u.role}
                      onChange={(e) => setPending({ kind: 'role', user: u, role: e.target.value as Role })}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {ROLE_LABELS[r]}
                        </option>
                      ))}
                    </Select>
                  )}
                </Td>
                <Td className="text-xs">{u.status}</Td>
                <Td>{u.enabled ? <Badge tone="green">Enabled</Badge> : <Badge tone="red">Disabled</Badge>}</Td>
                <Td>
                  {!own && (
                    <Button size="sm" variant={u.enabled ? 'ghost' : 'secondary'} className={u.enabled ? 'text-red-700' : undefined} onClick={() => setPending({ kind: 'enabled', user: u, enabled: !u.enabled })}>
                      {u.enabled ? 'Disable' : 'Enable'}
                    </Button>
                  )}
                </Td>
              </tr>
            );
          })}
      </Table>
      <nav data-testid="pagination" aria-label="Pagination" className="mt-3 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
        <label className="flex items-center gap-1">
          <span>Rows</span>
          <Select aria-label="Rows per page" className="h-8 w-20" value={size} onChange={(e) => f.set({ size: e.target.value === '60' ? 60 : null })}>
            <option value={20}>20</option>
            <option value={60}>60</option>
          </Select>
        </label>
        <div className="flex gap-2">
          <Button size="sm" variant="secondary" disabled={tokens.length <= 1} onClick={() => setTokens((t) => t.slice(0, -1))}>
            Previous
          </Button>
          <Button size="sm" variant="secondary" disabled={!list.data?.next_token} onClick={() => list.data?.next_token && setTokens((t) => [...t, list.data!.next_token!])}>
            Next
          </Button>
        </div>
      </nav>
      <ConfirmDialog
        open={!!pending}
        title={pending?.kind === 'role' ? 'Change role' : pending?.kind === 'enabled' && pending.enabled ? 'Enable user' : 'Disable user'}
        message={
          pending?.kind === 'role'
            ? `Make ${pending.user.username} ${ROLE_LABELS[pending.role].toLowerCase()}? This takes effect at their next sign-in or refresh, within 15 minutes.`
            : pending?.kind === 'enabled' && pending.enabled
              ? `Enable ${pending.user.username}? They can sign in again.`
              : `Disable ${pending?.user.username ?? ''}? They are signed out everywhere and cannot sign in.`
        }
        confirmLabel={pending?.kind === 'role' ? 'Change role' : pending?.kind === 'enabled' && pending.enabled ? 'Enable' : 'Disable'}
        danger={pending?.kind === 'enabled' && !pending.enabled}
        pending={busy}
        onCancel={() => setPending(null)}
        onConfirm={apply}
      />
    </div>
  );
}
