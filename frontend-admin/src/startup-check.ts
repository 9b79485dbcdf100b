// Node-only part of the start-up check: exits when SESSION_SECRET is refused (lib/config.ts).
import { sessionSecret } from './lib/config';

try {
  sessionSecret();
} catch (err) {
  console.error(`[frontend-admin] ${(err as Error).message}`);
  process.exit(1);
}
