// auth service calls (frontends.md §2.4; api/auth.md). Login, refresh and logout are server-only
// (src/lib/session); the proxy refuses them.
import type { Call } from './envelope';
import type { Address, User } from './types';

export const authApi = (call: Call) => ({
  signup: (b: { username: string; email: string; name: string; password: string }) => call<{ username: string }>('auth', 'POST', '/v1/auth/signup', { json: b }),
  confirm: (username: string, code: string) => call<unknown>('auth', 'POST', '/v1/auth/confirm', { json: { username, code } }),
  resendCode: (username: string) => call<unknown>('auth', 'POST', '/v1/auth/resend-code', { json: { username } }),
  forgotPassword: (username: string) => call<null>('auth', 'POST', '/v1/auth/forgot-password', { json: { username } }),
  resetPassword: (username: string, code: string, password: string) =>
    call<null>('auth', 'POST', '/v1/auth/reset-password', { json: { username, code, password } }),
  changePassword: (current: string, next: string) =>
    call<null>('auth', 'POST', '/v1/auth/change-password', { json: { current_password: current, new_password: next } }),
  me: () => call<User>('auth', 'GET', '/v1/auth/me'),
  updateMe: (b: { name?: string; phone_number?: string | null; address?: Address | null }) => call<User>('auth', 'PATCH', '/v1/auth/me', { json: b }),
  deleteMe: () => call<null>('auth', 'DELETE', '/v1/auth/me'),
});
