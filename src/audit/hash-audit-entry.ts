import { createHash, createHmac } from 'node:crypto';
import { canonicalizeAuditEntry } from './canonicalize-audit-entry.js';

/** `prev` of the first entry: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The hash of an audit entry: lowercase hex of `sha256(prev + canonical)`, or of
 * `HMAC-SHA256(key, prev + canonical)` when `hmacKey` is given. `prev` is the entry's own `prev` field
 * (the previous entry's hash, 64 lowercase hex characters), `canonical` is
 * {@link canonicalizeAuditEntry} of the entry; both are concatenated as text and encoded as UTF-8.
 * The key is used as the UTF-8 bytes of the configured string (`audit.hmacKey`).
 *
 * With plain sha256 anyone who can edit the file can re-hash the rest of the chain; only a
 * comparison with the Redis head (or an HMAC key the editor does not have) catches that.
 */
export function hashAuditEntry(entry: { prev: string }, hmacKey?: string): string {
  const input = entry.prev + canonicalizeAuditEntry(entry);
  const digest = hmacKey ? createHmac('sha256', hmacKey) : createHash('sha256');
  return digest.update(input, 'utf8').digest('hex');
}
