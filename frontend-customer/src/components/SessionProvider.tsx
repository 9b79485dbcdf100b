'use client';
// Session user (from the server layout) and the cart shared by header, drawer and pages (frontends.md §1.3, §2.1).
//
// The context value never changes after the first render (user and upload limit come from the server layout);
// the cart lives in a small external store read with useSyncExternalStore. A context whose value changes
// while a streamed page segment is still un-hydrated makes React drop the server HTML of that segment and
// render it again on the client (inputs swapped, typed text lost); store subscriptions only reach components
// that have already hydrated, so the cart arriving early no longer disturbs the page.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { api } from '@/lib/api/client';
import type { CartLine } from '@/lib/api/types';

export type ClientUser = { username: string; name: string; role: string };

type CartSnapshot = { cart: CartLine[] | null; cartError: boolean; drawerOpen: boolean };
const INITIAL: CartSnapshot = { cart: null, cartError: false, drawerOpen: false };

type CartStore = {
  get: () => CartSnapshot;
  subscribe: (listener: () => void) => () => void;
  update: (patch: Partial<CartSnapshot>) => void;
};

function createCartStore(): CartStore {
  let snapshot = INITIAL;
  const listeners = new Set<() => void>();
  return {
    get: () => snapshot,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    update: (patch) => {
      snapshot = { ...snapshot, ...patch };
      for (const l of listeners) l();
    },
  };
}

type Stable = {
  user: ClientUser | null;
  maxUploadBytes: number;
  store: CartStore;
  reloadCart: () => Promise<CartLine[] | null>;
  setCart: React.Dispatch<React.SetStateAction<CartLine[] | null>>;
  setDrawerOpen: (open: boolean) => void;
  /** Quantities changed in the page but not yet confirmed by the cart service (line id → quantity). A cart
   * re-read keeps them, so a read that overtakes a debounced PATCH does not roll the stepper back. */
  pendingQty: Map<string, number>;
};

type Ctx = Omit<Stable, 'store'> & { cart: CartLine[] | null; cartError: boolean; cartCount: number; drawerOpen: boolean };

const SessionContext = createContext<Stable | null>(null);

export function SessionProvider({ user: userProp, maxUploadBytes, children }: { user: ClientUser | null; maxUploadBytes: number; children: React.ReactNode }) {
  // Same identity across server refreshes unless the user really changed.
  const { username, name, role } = userProp ?? { username: '', name: '', role: '' };
  const user = useMemo(() => (username ? { username, name, role } : null), [username, name, role]);
  const [store] = useState(createCartStore);
  const [pendingQty] = useState(() => new Map<string, number>());
  const signedIn = user !== null;

  const overlay = useCallback(
    (lines: CartLine[]) => lines.map((l) => (pendingQty.has(l.id) ? { ...l, product_quantity: pendingQty.get(l.id)! } : l)),
    [pendingQty],
  );

  const reloadCart = useCallback(async () => {
    if (!signedIn) return null;
    try {
      const { data } = await api.cart.lines();
      const lines = overlay(data);
      store.update({ cart: lines, cartError: false });
      return lines;
    } catch {
      store.update({ cartError: true });
      return null;
    }
  }, [signedIn, overlay, store]);

  const setCart = useCallback<React.Dispatch<React.SetStateAction<CartLine[] | null>>>(
    (next) => store.update({ cart: typeof next === 'function' ? next(store.get().cart) : next }),
    [store],
  );
  const setDrawerOpen = useCallback((open: boolean) => store.update({ drawerOpen: open }), [store]);

  useEffect(() => {
    // Initial read of the cart for the badge.
    if (signedIn) void reloadCart();
  }, [signedIn, reloadCart]);

  const value = useMemo<Stable>(
    () => ({ user, maxUploadBytes, store, reloadCart, setCart, setDrawerOpen, pendingQty }),
    [user, maxUploadBytes, store, reloadCart, setCart, setDrawerOpen, pendingQty],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

const serverSnapshot = () => INITIAL;

export function useSession(): Ctx {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  const snap = useSyncExternalStore(ctx.store.subscribe, ctx.store.get, serverSnapshot);
  const { store, ...rest } = ctx;
  void store;
  const cart = ctx.user ? snap.cart : null;
  return {
    ...rest,
    cart,
    cartError: snap.cartError,
    drawerOpen: snap.drawerOpen,
    cartCount: cart ? cart.reduce((n, l) => n + l.product_quantity, 0) : 0,
  };
}
