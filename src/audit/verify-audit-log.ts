import type { AuditEntry } from './audit-log.js';
import type { AuditCheckpoint, KnownCheckpoint } from './audit-checkpoint.js';
import { checkAuditCheckpoints } from './check-audit-checkpoints.js';
import { compareAuditStream, type StreamItem } from './compare-audit-stream.js';
import { listAuditCheckpoints } from './list-audit-checkpoints.js';
import { verifyAuditChain } from './verify-audit-chain.js';

/** The audit chain as Redis holds it (see `readAuditRedisState`). */
export interface AuditRedisState {
  head: { seq: number; hash: string };
  /** The stream's entries up to the head, oldest first. */
  stream: StreamItem[];
  /** The last checkpoint Warden took, as recorded in Redis. */
  checkpoint?: AuditCheckpoint;
}

/** Options of {@link verifyAuditLog}. */
export interface VerifyAuditLogOptions {
  hmacKey?: string;
  /** Redis' side; absent for a file-only check. */
  redis?: AuditRedisState;
  /** Checkpoints taken from outside (`--checkpoint <seq>:<hash>`). */
  given?: readonly KnownCheckpoint[];
  describeEntry?: (index: number) => string;
}

/** What {@link verifyAuditLog} found; `lastCheckpoint` is the highest checkpoint that held. */
export type VerifyAuditLogResult =
  | { ok: true; count: number; lastSeq: number; lastHash: string; lastCheckpoint?: KnownCheckpoint; streamFrom?: number }
  | { ok: false; count: number; firstBadSeq: number; reason: string; index?: number };

/**
 * Verifies an audit file: its hash chain from seq 1 (`verifyAuditChain`, against the Redis head
 * when given), then every checkpoint known — recorded in the chain, recorded in Redis, or given —
 * (`checkAuditCheckpoints`), then what the Redis stream still holds (`compareAuditStream`). Pure.
 */
export function verifyAuditLog(entries: readonly unknown[], options: VerifyAuditLogOptions = {}): VerifyAuditLogResult {
  const describe = options.describeEntry ?? ((index: number) => `entry #${index + 1}`);
  const { redis } = options;
  const chain = verifyAuditChain(entries, { hmacKey: options.hmacKey, head: redis?.head, describeEntry: describe });
  if (!chain.ok) return chain;
  const verified = entries as readonly AuditEntry[];
  const fail = (problem: { firstBadSeq: number; reason: string }): VerifyAuditLogResult => ({ ok: false, count: chain.count, ...problem });

  const listed = listAuditCheckpoints(verified, describe);
  if (listed.malformed) return fail({ firstBadSeq: listed.malformed.seq, reason: listed.malformed.reason });
  const known: KnownCheckpoint[] = [...listed.checkpoints, ...(options.given ?? [])];
  if (redis?.checkpoint) known.push({ ...redis.checkpoint, source: 'the last checkpoint recorded in Redis', signed: true });
  const problem =
    checkAuditCheckpoints(verified, known, { hmacKey: options.hmacKey, headSeq: redis?.head.seq }) ??
    (redis ? compareAuditStream(verified, redis.stream, redis.head, known) : undefined);
  if (problem) return fail(problem);

  const lastCheckpoint = known.reduce<KnownCheckpoint | undefined>((best, checkpoint) => (best && best.seq >= checkpoint.seq ? best : checkpoint), undefined);
  return {
    ...chain,
    ...(lastCheckpoint ? { lastCheckpoint } : {}),
    ...(redis && redis.stream[0] ? { streamFrom: redis.stream[0].seq } : {}),
  };
}
