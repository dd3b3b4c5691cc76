import { createHash } from 'node:crypto';

const maxUuidLength = 50;

/**
 * Lark's `uuid` request field dedupes a message send for an hour but allows at most 50 characters;
 * longer dedupe keys are replaced by their SHA-256 (base64url, 43 characters), which stays stable.
 */
export function toLarkUuid(dedupeKey: string): string {
  if (dedupeKey.length <= maxUuidLength) return dedupeKey;
  return createHash('sha256').update(dedupeKey).digest('base64url');
}
