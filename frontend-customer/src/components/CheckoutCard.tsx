'use client';
// Checkout: address (prefilled from the profile), quote once the zip is valid, Place order with an
// Idempotency-Key kept across retries of one attempt (frontends.md §2.1, §2.3).
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { toast } from 'sonner';
import { api } from '@/lib/api/client';
import { ApiError, userMessage } from '@/lib/api/envelope';
import type { Address, CartLine, Quote } from '@/lib/api/types';
import { formatMoney } from '@/lib/format';
import { addressSchema, checkoutSchema } from '@/lib/validation/schemas';
import { Field } from './Field';
import { useSession } from './SessionProvider';
import { HandledError, useForm } from './useForm';
import { buttonClass, Spinner } from './ui';

type QuoteState = { status: 'idle' } | { status: 'loading' } | { status: 'ok'; quote: Quote } | { status: 'error'; message: string };

export function CheckoutCard({ lines, savedAddress, pendingChanges }: { lines: CartLine[]; savedAddress: Address | null; pendingChanges: () => boolean }) {
  const router = useRouter();
  const { reloadCart, setCart } = useSession();
  const form = useForm(checkoutSchema, {
    street: savedAddress?.street ?? '',
    city: savedAddress?.city ?? '',
    state: savedAddress?.state ?? '',
    zipcode: savedAddress?.zipcode ?? '',
    note: '',
  });
  const [saveAddress, setSaveAddress] = useState(!savedAddress);
  const [quote, setQuote] = useState<QuoteState>({ status: 'idle' });
  const attemptKey = useRef<{ key: string; signature: string } | null>(null);

  const zip = form.values.zipcode.trim();
  const zipValid = addressSchema.shape.zipcode.safeParse(zip).success;
  const itemsSig = lines.map((l) => `${l.product_id}:${l.product_quantity}`).join(',');

  useEffect(() => {
    if (!zipValid || !lines.length) return;
    let cancelled = false;
    const t = window.setTimeout(async () => {
      setQuote({ status: 'loading' });
      try {
        const items = itemsSig.split(',').map((s) => {
          const [product_id, q] = s.split(':');
          return { product_id, quantity: Number(q) };
        });
        const { data } = await api.order.quote(items, zip);
        if (!cancelled) setQuote({ status: 'ok', quote: data });
      } catch (err) {
        if (cancelled) return;
        let message = userMessage(err);
        if (err instanceof ApiError && err.status === 409 && err.causes.length) {
          const names = err.causes.map((c) => lines.find((l) => l.product_id === c.field)?.product_name ?? c.message);
          message = `Not enough stock: ${names.join(', ')}`;
        }
        setQuote({ status: 'error', message });
      }
    }, 400);
    return () => {
      cancelled = true;
      window.clearTimeout(t);
    };
    // lines is represented by itemsSig
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [zip, zipValid, itemsSig]);

  const place = (e: React.FormEvent) => form.submit(async (values) => {
    if (pendingChanges()) {
      toast.info('Saving your cart changes, try again in a moment');
      throw new HandledError();
    }
    const fresh = (await api.cart.lines()).data;
    if (!fresh.length) {
      toast.error('Your cart is empty');
      throw new HandledError();
    }
    const address = { street: values.street, city: values.city, state: values.state, zipcode: values.zipcode, note: values.note };
    const signature = JSON.stringify([fresh.map((l) => [l.id, l.product_quantity]), address]);
    if (!attemptKey.current || attemptKey.current.signature !== signature) attemptKey.current = { key: crypto.randomUUID(), signature };
    try {
      const { data } = await api.cart.checkout(
        fresh.map((l) => l.id),
        address,
        attemptKey.current.key,
      );
      attemptKey.current = null;
      if (saveAddress) {
        await api.auth.updateMe({ address: { street: values.street, city: values.city, state: values.state, zipcode: values.zipcode } }).catch(() => toast.error('Your address could not be saved'));
      }
      setCart([]);
      toast.success('Order placed');
      router.push(`/order/${data.order_id}`);
      router.refresh();
    } catch (err) {
      if (err instanceof ApiError && (err.status === 409 || err.status === 422)) {
        attemptKey.current = null;
        toast.error(userMessage(err));
        void reloadCart();
        throw new HandledError();
      }
      if (err instanceof ApiError && (err.status === 502 || err.status === 504 || err.status === 0)) {
        toast.error('The order could not be confirmed. Try again: you will not be charged twice.');
        throw new HandledError();
      }
      throw err;
    }
  })(e);

  return (
    <form onSubmit={place} noValidate aria-labelledby="checkout-heading" className="h-fit space-y-3 rounded-lg border border-gray-200 p-4">
      <h2 id="checkout-heading" className="text-lg font-semibold">
        Checkout
      </h2>
      <Field label="Street" autoComplete="street-address" {...form.bind('street')} />
      <div className="grid grid-cols-2 gap-3">
        <Field label="City" autoComplete="address-level2" {...form.bind('city')} />
        <Field label="State" autoComplete="address-level1" {...form.bind('state')} />
      </div>
      <Field label="Zipcode" inputMode="numeric" autoComplete="postal-code" {...form.bind('zipcode')} />
      <Field label="Note for the delivery" {...form.bind('note')} />
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={saveAddress} onChange={(e) => setSaveAddress(e.target.checked)} />
        Save as my address
      </label>
      <dl className="space-y-1 border-t border-gray-200 pt-3 text-sm" aria-live="polite">
        {quote.status === 'loading' ? (
          <p role="status">Calculating shipping…</p>
        ) : quote.status === 'error' ? (
          <p role="alert" className="text-red-700">
            {quote.message}
          </p>
        ) : quote.status === 'ok' && zipValid ? (
          <>
            <div className="flex justify-between">
              <dt>Subtotal</dt>
              <dd>{formatMoney(quote.quote.subtotal)}</dd>
            </div>
            <div className="flex justify-between">
              <dt>Shipping</dt>
              <dd data-testid="quote-shipping">{formatMoney(quote.quote.shipping_total)}</dd>
            </div>
            <div className="flex justify-between text-base font-semibold">
              <dt>Total</dt>
              <dd data-testid="quote-total">{formatMoney(quote.quote.total_price)}</dd>
            </div>
          </>
        ) : (
          <p className="text-gray-600">Enter your zipcode to see shipping</p>
        )}
      </dl>
      <button type="submit" className={`${buttonClass.primary} w-full`} disabled={form.busy}>
        {form.pending ? <Spinner label="Placing order" /> : null}
        Place order
      </button>
    </form>
  );
}
