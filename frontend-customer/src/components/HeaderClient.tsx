'use client';
// Interactive parts of the header.
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { toast } from 'sonner';
import { sessionPost } from '@/lib/api/client';
import { userMessage } from '@/lib/api/envelope';
import { useSession } from './SessionProvider';
import { useHydrated } from './useHydrated';

export function SearchBox() {
  const router = useRouter();
  const params = useSearchParams();
  const current = params.get('q') ?? '';
  // Uncontrolled, read at submit: what was typed before hydration counts, and without JavaScript the form
  // still goes to /products?q=…
  return (
    <form
      role="search"
      action="/products"
      method="get"
      className="flex min-w-0 flex-1 items-center"
      onSubmit={(e) => {
        e.preventDefault();
        const term = String(new FormData(e.currentTarget).get('q') ?? '').trim();
        if (!term) return;
        router.push(`/products?q=${encodeURIComponent(term)}`);
      }}
    >
      <label htmlFor="site-search" className="sr-only">
        Search products
      </label>
      <input
        key={current}
        id="site-search"
        name="q"
        type="search"
        defaultValue={current}
        placeholder="Search cars and motorcycles"
        className="w-full min-w-0 rounded-l-md border border-gray-300 px-3 py-1.5 text-sm"
      />
      <button type="submit" className="rounded-r-md border border-l-0 border-gray-900 bg-gray-900 px-3 py-1.5 text-sm text-white">
        Search
      </button>
    </form>
  );
}

export function CartBadge() {
  const { user, cartCount } = useSession();
  if (!user) return null;
  return (
    <Link prefetch={false} href="/cart" className="relative rounded p-1 hover:bg-gray-100" aria-label={`Cart, ${cartCount} items`}>
      <svg aria-hidden viewBox="0 0 24 24" className="h-6 w-6" fill="none" stroke="currentColor" strokeWidth="2">
        <path d="M3 3h2l2.4 12.2a2 2 0 0 0 2 1.8h8.2a2 2 0 0 0 2-1.6L21 8H6" />
        <circle cx="10" cy="20" r="1.5" />
        <circle cx="18" cy="20" r="1.5" />
      </svg>
      {cartCount > 0 ? (
        <span data-testid="cart-badge" className="absolute -right-1 -top-1 rounded-full bg-red-600 px-1.5 text-xs font-bold text-white">
          {cartCount}
        </span>
      ) : null}
    </Link>
  );
}

export function AccountMenu() {
  const { user } = useSession();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', esc);
    };
  }, [open]);

  if (!user) {
    return (
      <Link prefetch={false} href="/auth/login" className="rounded-md bg-gray-900 px-3 py-1.5 text-sm font-medium text-white">
        Login
      </Link>
    );
  }
  const logout = async () => {
    setBusy(true);
    try {
      await sessionPost('logout');
    } catch (err) {
      toast.error(userMessage(err));
    }
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load, so the server layout re-reads the session cookie
    window.location.assign('/');
  };
  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`Account menu: ${user.name || user.username}`}
        disabled={!hydrated}
        onClick={() => setOpen((o) => !o)}
        className="rounded-md border border-gray-300 px-3 py-1.5 text-sm font-medium"
      >
        {user.name || user.username}
      </button>
      {open ? (
        <div role="menu" className="absolute right-0 z-40 mt-1 w-40 rounded-md border border-gray-200 bg-white py-1 shadow-lg">
          <Link prefetch={false} role="menuitem" href="/orders" className="block px-3 py-1.5 text-sm hover:bg-gray-100" onClick={() => setOpen(false)}>
            Orders
          </Link>
          <Link prefetch={false} role="menuitem" href="/account" className="block px-3 py-1.5 text-sm hover:bg-gray-100" onClick={() => setOpen(false)}>
            Account
          </Link>
          <button role="menuitem" type="button" disabled={busy} onClick={logout} className="block w-full px-3 py-1.5 text-left text-sm hover:bg-gray-100">
            Logout
          </button>
        </div>
      ) : null}
    </div>
  );
}
