'use client';
// Status history with times and notes (`order-timeline`).
import type { HistoryEntry } from '@/lib/api/types';
import { STATUS_LABELS, formatDate, statusTone } from '@/lib/format';

const DOT = { grey: 'bg-slate-400', blue: 'bg-blue-500', amber: 'bg-amber-500', green: 'bg-green-600', red: 'bg-red-600' } as const;

export function OrderTimeline({ entries }: { entries: HistoryEntry[] }) {
  return (
    <ol data-testid="order-timeline" className="space-y-3">
      {entries.map((h) => (
        <li key={h.id} className="flex gap-3" data-status={h.to_status}>
          <span aria-hidden className={`mt-1.5 h-2.5 w-2.5 shrink-0 rounded-full ${DOT[statusTone(h.to_status)]}`} />
          <div className="text-sm">
            <p className="font-medium">
              {STATUS_LABELS[h.to_status] ?? h.to_status} <span className="font-normal text-slate-500">· {formatDate(h.created_at)}</span>
            </p>
            <p className="text-xs text-slate-500">by {h.actor}</p>
            {h.note && <p className="text-slate-700">“{h.note}”</p>}
          </div>
        </li>
      ))}
      {entries.length === 0 && <li className="text-sm text-slate-500">No history yet.</li>}
    </ol>
  );
}
