// Liveness for probes and the runner: 200, calls nothing (frontends.md §1.1).
export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
