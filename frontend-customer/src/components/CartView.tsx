'use client';
// Cart table with debounced optimistic quantity changes, and the checkout card (frontends.md §2.1, §2.3).
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { toast } from 'sonner';
import { api } from '@/lib/api/client';
import { userMessage } from '@/lib/api/envelope';
import type { Address, CartLine } from '@/lib/api/types';
import { formatMoney } from '@/lib/format';
import { CheckoutCard } from './CheckoutCard';
import { ErrorCard } from './ErrorCard';
import { ProductImage } from './ProductCard';
import { useSession } from './SessionProvider';
import { ButtonLink, EmptyState, Skeleton } from './ui';

export function CartView({ savedAddress }: { savedAddress: Address | null }) {
  const { cart, cartError, reloadCart, setCart, pendingQty } = useSession();
  const [loaded, setLoaded] = useState(false);
  const timers = useRef(new Map<string, number>());
  const confirmed = useRef(new Map<string, number>());

  useEffect(() => {
    void reloadCart().then(() => setLoaded(true));
  }, [reloadCart]);

  useEffect(() => {
    for (const l of cart ?? []) if (!pendingQty.has(l.id)) confirmed.current.set(l.id, l.product_quantity);
  }, [cart, pendingQty]);

  const lines = cart ?? [];

  const setLineQty = (id: string, qty: number) =>
    setCart((prev) => (prev ?? []).map((l) => (l.id === id ? { ...l, product_quantity: qty } : l)));

  const changeQty = (line: CartLine, qty: number) => {
    if (qty < 1 || qty > 99) return;
    pendingQty.set(line.id, qty);
    setLineQty(line.id, qty);
    const old = timers.current.get(line.id);
    if (old) window.clearTimeout(old);
    timers.current.set(
      line.id,
      window.setTimeout(async () => {
        timers.current.delete(line.id);
        try {
          const { data } = await api.cart.setQuantity(line.id, qty);
          confirmed.current.set(line.id, data.product_quantity);
          // A newer change may be waiting for its own PATCH: it stays the one shown.
          if (pendingQty.get(line.id) === qty && !timers.current.has(line.id)) {
            pendingQty.delete(line.id);
            setLineQty(line.id, data.product_quantity);
          }
        } catch (err) {
          toast.error(userMessage(err));
          if (pendingQty.get(line.id) === qty && !timers.current.has(line.id)) {
            pendingQty.delete(line.id);
            setLineQty(line.id, confirmed.current.get(line.id) ?? line.product_quantity);
            void reloadCart();
          }
        }
      }, 400),
    );
  };

  const remove = async (line: CartLine) => {
    const before = lines;
    setCart(lines.filter((l) => l.id !== line.id));
    const timer = timers.current.get(line.id);
    if (timer) window.clearTimeout(timer);
    timers.current.delete(line.id);
    pendingQty.delete(line.id);
    try {
      await api.cart.remove(line.id);
      toast.success(`Removed ${line.product_name}`);
    } catch (err) {
      setCart(before);
      toast.error(userMessage(err));
    }
    void reloadCart();
  };

  if (!loaded && cart === null) {
    return (
      <div role="status" aria-label="Loading cart" className="space-y-3">
        {Array.from({ length: 3 }, (_, i) => (
          <Skeleton key={i} className="h-16 w-full" />
        ))}
      </div>
    );
  }
  if (cartError && cart === null) return <ErrorCard message="Your cart could not be loaded" onRetry={() => void reloadCart()} />;
  if (!lines.length) {
    return (
      <EmptyState title="Your cart is empty">
        <ButtonLink href="/products">Browse products</ButtonLink>
      </EmptyState>
    );
  }

  const subtotal = lines.reduce((s, l) => s + l.product_price * l.product_quantity, 0);
  return (
    <div className="grid gap-8 lg:grid-cols-[1fr_22rem]">
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-gray-200 text-gray-600">
            <tr>
              <th scope="col" className="py-2">
                <span className="sr-only">Image</span>
              </th>
              <th scope="col">Product</th>
              <th scope="col">Unit price</th>
              <th scope="col">Quantity</th>
              <th scope="col">Total</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.id} data-testid="cart-line" className="border-b border-gray-100">
                <td className="py-2 pr-2">
                  <ProductImage src={l.product_image_url} alt={l.product_name} size={80} className="h-12 w-16 rounded" />
                </td>
                <td className="pr-2">
                  <Link prefetch={false} href={`/product/${l.product_id}`} className="font-medium hover:underline">
                    {l.product_name}
                  </Link>
                </td>
                <td className="pr-2">{formatMoney(l.product_price)}</td>
                <td className="pr-2">
                  <div className="flex items-center">
                    <button type="button" aria-label={`Decrease quantity of ${l.product_name}`} disabled={l.product_quantity <= 1} onClick={() => changeQty(l, l.product_quantity - 1)} className="rounded-l border border-gray-300 px-2 py-1 disabled:opacity-40">
                      −
                    </button>
                    <span aria-label={`Quantity of ${l.product_name}`} data-testid="line-quantity" className="w-10 border-y border-gray-300 py-1 text-center">
                      {l.product_quantity}
                    </span>
                    <button type="button" aria-label={`Increase quantity of ${l.product_name}`} disabled={l.product_quantity >= 99} onClick={() => changeQty(l, l.product_quantity + 1)} className="rounded-r border border-gray-300 px-2 py-1 disabled:opacity-40">
                      +
                    </button>
                  </div>
                </td>
                <td className="pr-2 font-semibold" data-testid="line-total">
                  {formatMoney(l.product_price * l.product_quantity)}
                </td>
                <td>
                  <button type="button" onClick={() => remove(l)} className="text-sm text-red-700 hover:underline" aria-label={`Remove ${l.product_name}`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-4 flex justify-end gap-4 text-lg font-semibold">
          <span>Subtotal</span>
          <span data-testid="cart-subtotal">{formatMoney(subtotal)}</span>
        </p>
      </div>
      <CheckoutCard lines={lines} savedAddress={savedAddress} pendingChanges={() => pendingQty.size > 0} />
    </div>
  );
}
