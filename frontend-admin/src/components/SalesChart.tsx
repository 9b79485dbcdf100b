'use client';
// Revenue and margin per bucket (bars) with units (line) — recharts (frontends.md §3.3).
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SalesBucket } from '@/lib/api/types';
import { money } from '@/lib/format';

export function SalesChart({ buckets, height = 280, compact }: { buckets: SalesBucket[]; height?: number; compact?: boolean }) {
  return (
    <div data-testid="sales-chart" role="img" aria-label={`Sales chart with ${buckets.length} periods`} style={{ width: '100%', height }}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={buckets} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={16} />
          <YAxis yAxisId="money" tick={{ fontSize: 11 }} width={compact ? 48 : 70} tickFormatter={(v: number) => (Math.abs(v) >= 1000 ? `$${(v / 1000).toFixed(v % 1000 ? 1 : 0)}k` : `$${v}`)} />
          {!compact && <YAxis yAxisId="units" orientation="right" allowDecimals={false} tick={{ fontSize: 11 }} width={40} />}
          <Tooltip formatter={(value, name) => (name === 'Units' ? [String(value), name] : [money(Number(value)), name])} />
          {!compact && <Legend wrapperStyle={{ fontSize: 12 }} />}
          <Bar yAxisId="money" dataKey="revenue" name="Revenue" fill="#0f172a" isAnimationActive={false} />
          <Bar yAxisId="money" dataKey="margin" name="Margin" fill="#38bdf8" isAnimationActive={false} />
          {!compact && <Line yAxisId="units" type="monotone" dataKey="quantity" name="Units" stroke="#f59e0b" strokeWidth={2} dot={false} isAnimationActive={false} />}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
