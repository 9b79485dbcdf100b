'use client';
// Live part of the product page: stock re-read every 10 s while visible and on focus, quantity stepper
// clamped to the stock, Add to cart (frontends.md §1.4, §2.1).
import { usePathname, useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { toast } from 'sonner';
import { api } from '@/lib/api/client';
import { ApiError, userMessage } from '@/lib/api/envelope';
import type { Product } from '@/lib/api/types';
import { formatMoney, stockText } from '@/lib/format';
import { ProductImage } from './ProductCard';
import { useSession } from './SessionProvider';
import { useHydrated } from './useHydrated';
import { buttonClass, Spinner } from './ui';

export function ProductDetail({ initial }: { initial: Product }) {
  const router = useRouter();
  const pathname = usePathname();
  const { user, setCart, reloadCart, setDrawerOpen } = useSession();
  const [product, setProduct] = useState(initial);
  const [gone, setGone] = useState(false);
  const [qty, setQty] = useState(1);
  const [adding, setAdding] = useState(false);
  const hydrated = useHydrated();
  const max = Math.max(0, Math.min(product.quantity, 99));

  const refresh = useCallback(async () => {
    try {
      const { data } = await api.product.get(initial.id);
      setProduct(data);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setGone(true);
    }
  }, [initial.id]);

  useEffect(() => {
    const tick = () => {
      if (document.visibilityState === 'visible') void refresh();
    };
    const timer = window.setInterval(tick, 10_000);
    window.addEventListener('focus', tick);
    document.addEventListener('visibilitychange', tick);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', tick);
      document.removeEventListener('visibilitychange', tick);
    };
  }, [refresh]);

  // Clamp the chosen quantity when the stock drops.
  const shownQty = Math.min(Math.max(1, qty), Math.max(1, max));

  const add = async () => {
    if (!user) {
      router.push(`/auth/login?next=${encodeURIComponent(pathname)}`);
      return;
    }
    setAdding(true);
    try {
      await api.cart.add(product.id, shownQty);
      toast.success('Added to cart');
      const lines = await reloadCart();
      if (lines) setCart(lines);
      setDrawerOpen(true);
      void refresh();
    } catch (err) {
      toast.error(userMessage(err));
    } finally {
      setAdding(false);
    }
  };

  if (gone) {
    return (
      <div className="py-16 text-center">
        <h1 className="text-2xl font-semibold">This product is not available</h1>
      </div>
    );
  }

  return (
    <div className="grid gap-8 md:grid-cols-2">
      <ProductImage src={product.image_url} alt={product.name} size={800} priority className="aspect-[4/3] w-full rounded-lg bg-gray-100" />
      <div className="space-y-4">
        <h1 className="text-3xl font-bold">{product.name}</h1>
        <p className="text-2xl font-semibold">{formatMoney(product.price)}</p>
        <p data-testid="stock-level" aria-live="polite" className={product.quantity <= 0 ? 'font-medium text-red-600' : product.quantity < 10 ? 'font-medium text-amber-700' : 'font-medium text-green-700'}>
          {stockText(product.quantity)}
        </p>
        <div className="flex items-end gap-3">
          <div>
            <label htmlFor="qty" className="block text-sm font-medium">
              Quantity
            </label>
            <div className="mt-1 flex items-center">
              <button type="button" aria-label="Decrease quantity" className="rounded-l-md border border-gray-300 px-3 py-2" disabled={shownQty <= 1 || max === 0} onClick={() => setQty(shownQty - 1)}>
                −
              </button>
              <input
                id="qty"
                type="number"
                inputMode="numeric"
                min={1}
                max={Math.max(1, max)}
                value={shownQty}
                disabled={max === 0}
                ref={(el) => {
                  // a quantity typed before hydration is on screen but not in the state yet
                  if (!el || el.dataset.hydrated) return;
                  el.dataset.hydrated = '1';
                  const n = Number.parseInt(el.value, 10);
                  if (Number.isFinite(n) && n !== shownQty) setQty(n);
                }}
                onChange={(e) => {
                  const n = Number.parseInt(e.target.value, 10);
                  setQty(Number.isFinite(n) ? n : 1);
                }}
                className="w-16 border-y border-gray-300 px-2 py-2 text-center"
              />
              <button type="button" aria-label="Increase quantity" className="rounded-r-md border border-gray-300 px-3 py-2" disabled={shownQty >= max} onClick={() => setQty(shownQty + 1)}>
                +
              </button>
            </div>
          </div>
          <button type="button" className={buttonClass.primary} disabled={max === 0 || adding || !hydrated} onClick={add}>
            {adding ? <Spinner label="Adding" /> : null}
            Add to cart
          </button>
        </div>
        <div>
          <h2 className="text-lg font-semibold">Description</h2>
          <p className="mt-1 whitespace-pre-line text-gray-700">{product.description}</p>
        </div>
        <p className="text-xs text-gray-500">SKU {product.sku}</p>
      </div>
    </div>
  );
}
