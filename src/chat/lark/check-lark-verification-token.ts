import { secretMatches } from '../../access/secret-matches.js';

/**
 * True when `received` (the `token` field of a Lark body, or `header.token` in schema 2.0) equals
 * `LARK_VERIFICATION_TOKEN`. Both sides are hashed first, so the comparison takes the same time
 * whatever the received value's length or content. An empty expected token rejects everything.
 */
export function checkLarkVerificationToken(expected: string, received: unknown): boolean {
  if (typeof expected !== 'string' || expected.length === 0) return false;
  if (typeof received !== 'string') return false;
  return secretMatches(received, expected);
}
