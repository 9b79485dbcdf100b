// Imported once at server start (Node runtime only): exits when SESSION_SECRET is refused.
import { sessionSecret } from './config';

try {
  sessionSecret();
} catch (err) {
  console.error(`[frontend-customer] ${(err as Error).message}`);
  process.exit(1);
}
