'use client';
// A date in the browser's time zone (frontends.md §1.5); the server renders UTC until hydration.
import { useSyncExternalStore } from 'react';
import { formatDate } from '@/lib/format';

const subscribe = () => () => {};

export function LocalDate({ iso }: { iso: string | null | undefined }) {
  const zone = useSyncExternalStore(subscribe, () => Intl.DateTimeFormat().resolvedOptions().timeZone, () => 'UTC');
  return <time dateTime={iso ?? undefined}>{formatDate(iso, zone)}</time>;
}
