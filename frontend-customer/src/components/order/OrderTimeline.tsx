'use client';
// Placed → Proof uploaded → Payment accepted → Shipped → Delivered, with a red terminal branch (§2.2).
import type { HistoryEntry, Order, Payment } from '@/lib/api/types';
import { LocalDate } from '../LocalDate';

const TERMINAL: Record<string, string> = { CANCELLED: 'Cancelled', EXPIRED: 'Expired', REJECTED: 'Rejected', FAILED: 'Failed' };

type Step = { label: string; at: string | null; note: string; done: boolean; red?: boolean };

export function timelineSteps(order: Order, history: HistoryEntry[], payments: Payment[]): Step[] {
  const find = (s: string) => [...history].reverse().find((h) => h.to_status === s);
  const created = history.find((h) => h.from_status === null) ?? find('PENDING');
  const firstProof = [...payments].sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
  const steps: Step[] = [
    { label: 'Placed', at: created?.created_at ?? order.created_at, note: created?.note ?? '', done: true },
    { label: 'Proof uploaded', at: firstProof?.createdAt ?? null, note: '', done: Boolean(firstProof) || order.payment_status !== '' },
    ...[
      ['PAYMENT_ACCEPTED', 'Payment accepted'],
      ['ON_DELIVERY', 'Shipped'],
      ['DELIVERED', 'Delivered'],
    ].map(([s, label]) => {
      const h = find(s);
      return { label, at: h?.created_at ?? null, note: h?.note ?? '', done: Boolean(h) };
    }),
  ];
  const end = TERMINAL[order.status];
  if (end) {
    const h = find(order.status);
    const cut = steps.findLastIndex((s) => s.done);
    steps.splice(cut + 1, steps.length, { label: end, at: h?.created_at ?? order.updated_at, note: h?.note ?? order.status_note, done: true, red: true });
  }
  return steps;
}

export function OrderTimeline({ order, history, payments }: { order: Order; history: HistoryEntry[]; payments: Payment[] }) {
  const steps = timelineSteps(order, history, payments);
  return (
    <ol data-testid="order-timeline" aria-label="Order timeline" className="space-y-3">
      {steps.map((s) => (
        <li key={s.label} data-step={s.label} className="flex gap-3">
          <span aria-hidden className={`mt-1 h-3 w-3 flex-none rounded-full ${s.red ? 'bg-red-600' : s.done ? 'bg-green-600' : 'bg-gray-300'}`} />
          <div>
            <p className={`font-medium ${s.red ? 'text-red-700' : s.done ? '' : 'text-gray-500'}`}>{s.label}</p>
            {s.at && s.done ? (
              <p className="text-sm text-gray-600">
                <LocalDate iso={s.at} />
              </p>
            ) : null}
            {s.note && s.done ? <p className="text-sm text-gray-800">{s.note}</p> : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
