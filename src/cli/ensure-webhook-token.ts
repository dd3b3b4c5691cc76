import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The webhook token for a start without configuration: read from `<dataDir>/webhook-token`, or
 * generated (256 random bits) and written there with mode 0600 the first time. The value is never
 * logged; operators read the file to configure Alertmanager.
 */
export function ensureWebhookToken(dataDir: string): { token: string; file: string; created: boolean } {
  const file = join(dataDir, 'webhook-token');
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 32) return { token, file, created: false };
  } catch {
    // not created yet
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('hex');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, file, created: true };
}
