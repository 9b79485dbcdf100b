'use client';
// The console frame: sidebar grouped like the old console (Overview, Catalogue, Sales, Warehouse,
// Administration) with the low-stock and payments badges, and a top bar with breadcrumb and user menu.
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { listPayments } from '@/lib/api/payment';
import { stockAlerts } from '@/lib/api/warehouse';
import { ROLE_LABELS, can, type Area } from '@/lib/roles';
import { ChangePasswordDialog } from './ChangePasswordDialog';
import { useQuery } from './hooks';
import { useSession } from './SessionProvider';
import { Badge, Button } from './ui';

type Entry = { href: string; label: string; area: Area; badge?: 'low-stock' | 'payments' };
const SECTIONS: { title: string; entries: Entry[] }[] = [
  { title: 'Overview', entries: [{ href: '/', label: 'Dashboard', area: 'dashboard' }] },
  {
    title: 'Catalogue',
    entries: [
      { href: '/products', label: 'Products', area: 'products' },
      { href: '/categories', label: 'Categories', area: 'categories' },
    ],
  },
  {
    title: 'Sales',
    entries: [
      { href: '/orders', label: 'Orders', area: 'orders' },
      { href: '/shipping', label: 'Orders to ship', area: 'shipping' },
      { href: '/payments', label: 'Payments', area: 'payments', badge: 'payments' },
      { href: '/sales', label: 'Sales report', area: 'sales' },
    ],
  },
  {
    title: 'Warehouse',
    entries: [
      { href: '/warehouses', label: 'Warehouses', area: 'warehouses' },
      { href: '/stock', label: 'Stock', area: 'stock', badge: 'low-stock' },
      { href: '/movements', label: 'Movements', area: 'movements' },
    ],
  },
  { title: 'Administration', entries: [{ href: '/users', label: 'Users', area: 'users' }] },
];

const LABELS: Record<string, string> = {
  products: 'Products',
  new: 'New',
  edit: 'Edit',
  categories: 'Categories',
  orders: 'Orders',
  shipping: 'Orders to ship',
  payments: 'Payments',
  sales: 'Sales report',
  warehouses: 'Warehouses',
  stock: 'Stock',
  movements: 'Movements',
  users: 'Users',
  forbidden: 'Forbidden',
};

function isActive(pathname: string, href: string) {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(href + '/');
}

function SidebarBadges({ kind, role }: { kind: 'low-stock' | 'payments'; role: string }) {
  const lowStock = useQuery('sidebar-low-stock', () => stockAlerts({ limit: 1 }).then((r) => r.count ?? r.data.length), {
    enabled: kind === 'low-stock',
    intervalMs: 60_000,
  });
  const payments = useQuery('sidebar-payments', () => listPayments({ status: 'PENDING', limit: 500 }).then((r) => r.data.length), {
    enabled: kind === 'payments' && role === 'admin',
    intervalMs: 60_000,
  });
  if (kind === 'low-stock') {
    const n = lowStock.data;
    return n === undefined ? null : (
      <span data-testid="low-stock-count" aria-label={`${n} low-stock alerts`} className={`ml-auto rounded-full px-2 text-xs ${n > 0 ? 'bg-amber-200 text-amber-900' : 'bg-slate-200 text-slate-600'}`}>
        {n}
      </span>
    );
  }
  const n = payments.data;
  return n === undefined || n === 0 ? null : (
    <span aria-label={`${n} payments to review`} className="ml-auto rounded-full bg-blue-200 px-2 text-xs text-blue-900">
      {n >= 500 ? '500+' : n}
    </span>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const user = useSession();
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const [pwOpen, setPwOpen] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const role = user?.role ?? 'customer';

  const crumbs = pathname.split('/').filter(Boolean);

  async function logout() {
    setLeaving(true);
    try {
      await fetch('/api/session/logout', { method: 'POST', headers: { 'x-eshop-client': '1' } });
    } finally {
      // a full load: the server layout must forget the user
      window.location.assign(new URL('/auth/login', window.location.origin).href);
    }
  }

  return (
    <div className="min-h-screen md:flex">
      <aside className={`${open ? 'block' : 'hidden'} w-full border-r border-slate-200 bg-white md:block md:w-60 md:shrink-0`}>
        <div className="flex h-14 items-center border-b border-slate-200 px-4 text-lg font-bold">Eshop Admin</div>
        <nav aria-label="Main" className="space-y-4 p-3">
          {SECTIONS.map((s) => {
            const entries = s.entries.filter((e) => can(role, e.area));
            if (!entries.length) return null;
            return (
              <div key={s.title}>
                <p className="px-2 text-xs font-semibold uppercase tracking-wide text-slate-400">{s.title}</p>
                <ul className="mt-1 space-y-0.5">
                  {entries.map((e) => (
                    <li key={e.href}>
                      <Link
                        href={e.href}
                        onClick={() => setOpen(false)}
                        aria-current={isActive(pathname, e.href) ? 'page' : undefined}
                        className={`flex items-center rounded-md px-2 py-1.5 text-sm ${isActive(pathname, e.href) ? 'bg-slate-900 text-white' : 'text-slate-700 hover:bg-slate-100'}`}
                      >
                        {e.label}
                        {e.badge && <SidebarBadges kind={e.badge} role={role} />}
                      </Link>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </nav>
      </aside>
      <div className="min-w-0 flex-1">
        <header className="flex h-14 items-center justify-between gap-2 border-b border-slate-200 bg-white px-4">
          <div className="flex min-w-0 items-center gap-2">
            <Button variant="ghost" size="sm" className="md:hidden" aria-label="Toggle menu" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
              ☰
            </Button>
            <nav aria-label="Breadcrumb" className="truncate text-sm text-slate-500">
              <Link href="/" className="hover:underline">
                Home
              </Link>
              {crumbs.map((c, i) => (
                <span key={i}>
                  {' / '}
                  {i < crumbs.length - 1 ? (
                    <Link href={'/' + crumbs.slice(0, i + 1).join('/')} className="hover:underline">
                      {LABELS[c] ?? c.slice(0, 8)}
                    </Link>
                  ) : (
                    <span className="text-slate-800">{LABELS[c] ?? c.slice(0, 8)}</span>
                  )}
                </span>
              ))}
            </nav>
          </div>
          {user && (
            <details className="relative">
              <summary className="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-slate-100" aria-label="User menu">
                <span className="font-medium" data-testid="current-user">
                  {user.username}
                </span>
                <Badge tone="blue">{ROLE_LABELS[user.role]}</Badge>
              </summary>
              <div className="absolute right-0 z-30 mt-1 w-48 rounded-md border border-slate-200 bg-white p-1 shadow-lg">
                {user.name && <p className="px-2 py-1 text-xs text-slate-500">{user.name}</p>}
                <button type="button" className="block w-full rounded px-2 py-1.5 text-left text-sm hover:bg-slate-100" onClick={() => setPwOpen(true)}>
                  Change password
                </button>
                <button type="button" className="block w-full rounded px-2 py-1.5 text-left text-sm hover:bg-slate-100" onClick={logout} disabled={leaving}>
                  Logout
                </button>
              </div>
            </details>
          )}
        </header>
        <main className="p-4 md:p-6">{children}</main>
      </div>
      <ChangePasswordDialog open={pwOpen} onClose={() => setPwOpen(false)} />
    </div>
  );
}
