'use client';
// auth service (api/auth.md) as the admin app may reach it through the proxy: users, roles, passwords.
// Login, refresh and logout go through /api/session/* only (tokens stay on the server).
import { call, type Query } from './client';
import type { User, UserPage } from './types';

export type UserQuery = { username?: string; email?: string; role?: string; limit?: number; next_token?: string };

export const listUsers = (q: UserQuery) => call<UserPage>('auth', '/v1/auth/users', { query: q as Query }).then((r) => r.data);
export const getUser = (id: string) => call<User>('auth', `/v1/auth/users/${encodeURIComponent(id)}`).then((r) => r.data);
export const setUserRole = (id: string, role: string) => call<User>('auth', `/v1/auth/users/${encodeURIComponent(id)}/role`, { method: 'PUT', json: { role } }).then((r) => r.data);
export const setUserEnabled = (id: string, enabled: boolean) =>
  call<User>('auth', `/v1/auth/users/${encodeURIComponent(id)}/enabled`, { method: 'PUT', json: { enabled } }).then((r) => r.data);
export const forgotPassword = (username: string) => call<null>('auth', '/v1/auth/forgot-password', { method: 'POST', json: { username } });
export const resetPassword = (username: string, code: string, password: string) =>
  call<null>('auth', '/v1/auth/reset-password', { method: 'POST', json: { username, code, password } });
export const changePassword = (current_password: string, new_password: string) =>
  call<null>('auth', '/v1/auth/change-password', { method: 'POST', json: { current_password, new_password } });

/** Username of a user id, cached for the page's life (orders and payments tables). */
const nameCache = new Map<string, Promise<string>>();
export function usernameOf(id: string): Promise<string> {
  let p = nameCache.get(id);
  if (!p) {
    p = getUser(id)
      .then((u) => u.username)
      .catch(() => {
        nameCache.delete(id);
        return id.slice(0, 8);
      });
    nameCache.set(id, p);
  }
  return p;
}
