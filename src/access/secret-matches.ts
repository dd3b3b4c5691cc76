import { createHash, timingSafeEqual } from 'node:crypto';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

// The configured secrets' digests, computed once each: they are compared on every request. Only a
// handful are ever configured; the cap keeps a caller passing something else from growing it.
const expectedDigests = new Map<string, Buffer>();
const MAX_CACHED = 16;

/**
 * True when `presented` equals the configured secret `expected`. Both sides are hashed first, so the
 * comparison takes the same time whatever the presented value's length or content. An empty
 * expected secret matches nothing.
 */
export function secretMatches(presented: string, expected: string): boolean {
  if (expected.length === 0) return false;
  let expectedDigest = expectedDigests.get(expected);
  if (expectedDigest === undefined) {
    expectedDigest = digest(expected);
    if (expectedDigests.size < MAX_CACHED) expectedDigests.set(expected, expectedDigest);
  }
  return timingSafeEqual(digest(presented), expectedDigest);
}
