'use client';
// "Pay within mm:ss" from a deadline (right in a background tab), red under 2 minutes (§2.2).
import { useEffect, useState } from 'react';
import { formatCountdown } from '@/lib/format';

export function Countdown({ deadline }: { deadline: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), 500);
    return () => window.clearInterval(t);
  }, []);
  const left = Math.max(0, (deadline - now) / 1000);
  if (left <= 0) {
    return (
      <p data-testid="countdown" role="timer" className="font-semibold text-red-700">
        Payment time is over
      </p>
    );
  }
  return (
    <p data-testid="countdown" role="timer" className={`font-semibold ${left < 120 ? 'text-red-700' : 'text-gray-900'}`}>
      Pay within {formatCountdown(left)}
    </p>
  );
}
