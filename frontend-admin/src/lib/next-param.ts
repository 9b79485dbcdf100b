// The `next` parameter of the login page (frontends.md §1.3).

/** `next` must be a same-site path: `/x`, never `//host` or `/\host` or an absolute URL. */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next || typeof next !== 'string') return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (/[\u0000-\u001f]/.test(next)) return fallback;
  if (next.startsWith('/auth/login')) return fallback;
  return next;
}
