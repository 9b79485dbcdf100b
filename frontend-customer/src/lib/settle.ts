// Server pages: a failed service call becomes an inline error instead of a blank page (§1.4).
import { userMessage } from './api/envelope';

export type Settled<T> = { ok: true; value: T } | { ok: false; error: string };

export async function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await p };
  } catch (err) {
    return { ok: false, error: userMessage(err) };
  }
}
