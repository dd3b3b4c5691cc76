import { createHmac } from 'node:crypto';
import type { AuditCheckpoint } from './audit-checkpoint.js';

/**
 * The exact text a checkpoint's `mac` covers: `{"at":<at>,"hash":<hash>,"seq":<seq>}` — the three
 * members in this order, JSON without whitespace, as {@link canonicalizeAuditEntry} writes values.
 * It starts with `{`, a chain hash's input with 64 hex characters: one can never pass for the other.
 */
export function canonicalizeAuditCheckpoint(checkpoint: Pick<AuditCheckpoint, 'seq' | 'hash' | 'at'>): string {
  return `{"at":${JSON.stringify(checkpoint.at)},"hash":${JSON.stringify(checkpoint.hash)},"seq":${JSON.stringify(checkpoint.seq)}}`;
}

function macOf(checkpoint: Pick<AuditCheckpoint, 'seq' | 'hash' | 'at'>, hmacKey: string): string {
  return createHmac('sha256', hmacKey).update(canonicalizeAuditCheckpoint(checkpoint), 'utf8').digest('hex');
}

/**
 * The checkpoint with its `mac`: lowercase hex HMAC-SHA256 keyed with `hmacKey` (its UTF-8 bytes,
 * as for the chain) over {@link canonicalizeAuditCheckpoint}. Without a key it is returned unsigned.
 */
export function signAuditCheckpoint(checkpoint: Pick<AuditCheckpoint, 'seq' | 'hash' | 'at'>, hmacKey?: string): AuditCheckpoint {
  const plain = { seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at };
  return hmacKey ? { ...plain, mac: macOf(plain, hmacKey) } : plain;
}

