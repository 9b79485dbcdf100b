// Start-up check (frontends.md §4): refuse to serve with a weak SESSION_SECRET in production.
export async function register() {
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('./lib/startup-check');
}
