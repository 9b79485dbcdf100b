'use client';
// The pool policy listed live under a password field (frontends.md §2.3).
import { PASSWORD_RULES } from '@/lib/validation/schemas';

export function PasswordPolicy({ value }: { value: string }) {
  return (
    <ul className="mt-1 space-y-0.5">
      {PASSWORD_RULES.map((r) => {
        const ok = r.test(value);
        return (
          <li key={r.label} className={ok ? 'text-green-700' : 'text-gray-600'}>
            <span aria-hidden>{ok ? '✓' : '•'}</span> {r.label}
            <span className="sr-only">{ok ? ' (met)' : ' (not met)'}</span>
          </li>
        );
      })}
    </ul>
  );
}
