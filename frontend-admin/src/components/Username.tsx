'use client';
import { useEffect, useState } from 'react';
import { usernameOf } from '@/lib/api/auth';

/** A customer's username from their id (looked up once per page life). */
export function Username({ id }: { id: string }) {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    usernameOf(id).then((n) => alive && setName(n));
    return () => {
      alive = false;
    };
  }, [id]);
  return <span title={id}>{name ?? id.slice(0, 8)}</span>;
}
