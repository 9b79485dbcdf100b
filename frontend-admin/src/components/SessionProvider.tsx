'use client';
// The signed-in user as the browser knows it: username, name and role only (never a token).
import { createContext, useContext, type ReactNode } from 'react';
import type { Role } from '@/lib/roles';

export type ClientUser = { username: string; name: string; role: Role };
export type ClientConfig = { productImageMaxBytes: number };

const Ctx = createContext<{ user: ClientUser | null; config: ClientConfig }>({ user: null, config: { productImageMaxBytes: 5_242_880 } });

export function SessionProvider({ user, config, children }: { user: ClientUser | null; config: ClientConfig; children: ReactNode }) {
  return <Ctx.Provider value={{ user, config }}>{children}</Ctx.Provider>;
}

export const useSession = () => useContext(Ctx).user;
export const useClientConfig = () => useContext(Ctx).config;
