import type { AuditEntry } from './audit-log.js';
import { GENESIS_HASH, hashAuditEntry } from './hash-audit-entry.js';

/** Options of {@link verifyAuditChain}. */
export interface VerifyAuditChainOptions {
  /** The `audit.hmacKey` the chain was written with; without it hashes are plain sha256. */
  hmacKey?: string;
  /** The chain head as Redis holds it: the entries must end exactly there (detects a cut-off tail). */
  head?: { seq: number; hash: string };
  /** How reasons name the entry at `index` (0-based); default `entry #<index + 1>`. The CLI says `line N`. */
  describeEntry?: (index: number) => string;
}

/**
 * What {@link verifyAuditChain} found. `count` is the number of entries given. On failure,
 * `firstBadSeq` is the sequence number that should have been at the first bad position (or, for a cut-off
 * tail, the first missing one) and `index` the position in `entries` of the offending entry (absent
 * when the problem is that entries are missing at the end).
 */
export type VerifyAuditChainResult =
  | { ok: true; count: number; lastSeq: number; lastHash: string }
  | { ok: false; count: number; firstBadSeq: number; reason: string; index?: number };

const HEX64 = /^[0-9a-f]{64}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function findShapeProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'it is not a JSON object';
  if (!Number.isSafeInteger(value.seq) || (value.seq as number) < 1) return 'seq is not a positive integer';
  for (const field of ['at', 'type', 'actor'] as const) {
    if (typeof value[field] !== 'string' || value[field] === '') return `${field} is missing or not a string`;
  }
  for (const field of ['subject', 'outcome'] as const) {
    if (field in value && typeof value[field] !== 'string') return `${field} is not a string`;
  }
  if ('detail' in value && !isRecord(value.detail)) return 'detail is not an object';
  for (const field of ['prev', 'hash'] as const) {
    if (typeof value[field] !== 'string' || !HEX64.test(value[field])) return `${field} is not 64 lowercase hex characters`;
  }
  return undefined;
}

function short(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}

/**
 * Recomputes the hash chain of `entries` (in file order) and reports the first problem: a malformed
 * entry, a missing (deleted) or out-of-place (reordered, duplicated) sequence number, a `prev` that
 * does not match the previous entry's hash, a stored hash that does not match the entry's content
 * (edited, or forged without the HMAC key), or, with `head`, a tail that does not end at the head
 * (truncated or replaced). The chain must start at seq 1. Pure: no I/O.
 */
export function verifyAuditChain(entries: readonly unknown[], options: VerifyAuditChainOptions = {}): VerifyAuditChainResult {
  const describe = options.describeEntry ?? ((index: number) => `entry #${index + 1}`);
  const count = entries.length;
  let lastHash = GENESIS_HASH;
  const fail = (firstBadSeq: number, reason: string, index?: number): VerifyAuditChainResult =>
    index === undefined ? { ok: false, count, firstBadSeq, reason } : { ok: false, count, firstBadSeq, reason, index };

  for (const [index, value] of entries.entries()) {
    const expected = index + 1;
    const where = describe(index);
    const problem = findShapeProblem(value);
    if (problem) return fail(expected, `${where} is malformed: ${problem}`, index);
    const entry = value as unknown as AuditEntry;

    if (entry.seq > expected) {
      const missing = entry.seq === expected + 1 ? `seq ${expected} is` : `seq ${expected}–${entry.seq - 1} are`;
      return fail(expected, `${missing} missing: ${where} has seq ${entry.seq} where seq ${expected} was expected (deleted or reordered entries)`, index);
    }
    if (entry.seq < expected) {
      return fail(expected, `${where} has seq ${entry.seq} where seq ${expected} was expected (a duplicated or reordered entry)`, index);
    }
    if (entry.prev !== lastHash) {
      const reason =
        expected === 1
          ? `seq 1 must have 64 zeros as prev (the start of the chain) but has ${short(entry.prev)}: the log does not start here`
          : `the prev of seq ${expected} does not match the hash of seq ${expected - 1}: one of the two was altered and re-hashed`;
      return fail(expected, reason, index);
    }
    const recomputed = hashAuditEntry(entry, options.hmacKey);
    if (recomputed !== entry.hash) {
      return fail(expected, `seq ${expected} was altered: its stored hash does not match its content (edited, or hashed with another key)`, index);
    }
    lastHash = entry.hash;
  }

  const lastSeq = count;
  const head = options.head;
  if (head && head.seq > lastSeq) {
    return fail(
      lastSeq + 1,
      `the chain ends at seq ${lastSeq} but the Redis head is at seq ${head.seq}: seq ${lastSeq + 1}` +
        `${head.seq > lastSeq + 1 ? `–${head.seq} are` : ' is'} missing (the file was truncated, or the exporter has not written them yet)`,
    );
  }
  if (head && head.seq >= 1) {
    const atHead = entries[head.seq - 1] as AuditEntry;
    if (atHead.hash !== head.hash) {
      return fail(head.seq, `seq ${head.seq} differs from the Redis head (hash ${short(atHead.hash)}, Redis has ${short(head.hash)}): the tail was replaced`, head.seq - 1);
    }
  }
  if (head && head.seq < lastSeq) {
    return fail(
      head.seq + 1,
      `the chain goes on to seq ${lastSeq} but the Redis head is at seq ${head.seq}: seq ${head.seq + 1} onwards is not in Redis (added to the file, or Redis lost data)`,
      head.seq,
    );
  }
  return { ok: true, count, lastSeq, lastHash };
}
