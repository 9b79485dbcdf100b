// GET /api/session → the session user or 401 (frontends.md §1.3).
import { NextResponse } from 'next/server';
import { currentUser } from '@/lib/api/server';
import { errorJson } from '@/lib/session/respond';

export const dynamic = 'force-dynamic';

export async function GET() {
  const user = await currentUser();
  if (!user) return errorJson(401, 'not signed in');
  return NextResponse.json(
    { code: 200, data: { user: { username: user.username, name: user.name, role: user.role } }, message: 'success get' },
    { headers: { 'cache-control': 'no-store' } },
  );
}
