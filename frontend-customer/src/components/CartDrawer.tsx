'use client';
// Drawer that opens after an add (frontends.md §2.1).
import Link from 'next/link';
import { formatMoney } from '@/lib/format';
import { Dialog } from './Dialog';
import { ProductImage } from './ProductCard';
import { useSession } from './SessionProvider';
import { buttonClass } from './ui';

export function CartDrawer() {
  const { cart, drawerOpen, setDrawerOpen } = useSession();
  const lines = cart ?? [];
  const subtotal = lines.reduce((s, l) => s + l.product_price * l.product_quantity, 0);
  return (
    <Dialog open={drawerOpen} title="Cart" onClose={() => setDrawerOpen(false)} className="mr-0 h-full max-h-none">
      <ul className="divide-y divide-gray-200">
        {lines.map((l) => (
          <li key={l.id} className="flex items-center gap-3 py-2">
            <ProductImage src={l.product_image_url} alt={l.product_name} size={64} className="h-12 w-16 rounded" />
            <div className="flex-1 text-sm">
              <p className="font-medium">{l.product_name}</p>
              <p className="text-gray-600">
                {l.product_quantity} × {formatMoney(l.product_price)}
              </p>
            </div>
            <p className="text-sm font-semibold">{formatMoney(l.product_price * l.product_quantity)}</p>
          </li>
        ))}
      </ul>
      <div className="mt-4 flex justify-between border-t border-gray-200 pt-3 font-semibold">
        <span>Subtotal</span>
        <span>{formatMoney(subtotal)}</span>
      </div>
      <p className="mt-1 text-sm text-gray-600">Shipping is shown in the cart</p>
      <div className="mt-4 flex justify-end gap-2">
        <button type="button" className={buttonClass.secondary} onClick={() => setDrawerOpen(false)}>
          Continue shopping
        </button>
        <Link prefetch={false} href="/cart" className={buttonClass.primary} onClick={() => setDrawerOpen(false)}>
          View cart
        </Link>
      </div>
    </Dialog>
  );
}
