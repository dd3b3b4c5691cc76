import { timingSafeEqual } from 'node:crypto';
import type { AuditEntry } from './audit-log.js';
import type { KnownCheckpoint } from './audit-checkpoint.js';
import { signAuditCheckpoint } from './sign-audit-checkpoint.js';

/** Options of {@link checkAuditCheckpoints}. */
export interface CheckAuditCheckpointsOptions {
  /** Checks the `mac` of checkpoints Warden wrote. */
  hmacKey?: string;
  /** The seq of the Redis head, when Redis was asked. */
  headSeq?: number;
}

/** The first problem {@link checkAuditCheckpoints} found, or undefined. */
export type CheckpointProblem = { firstBadSeq: number; reason: string } | undefined;

function hasValidMac(checkpoint: KnownCheckpoint, hmacKey: string): boolean {
  if (checkpoint.at === undefined || checkpoint.mac === undefined || !/^[0-9a-f]{64}$/.test(checkpoint.mac)) return false;
  const expected = signAuditCheckpoint({ seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at }, hmacKey).mac!;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(checkpoint.mac, 'hex'));
}

/**
 * Holds a verified chain (`entries`, seq 1… in order) against checkpoints: each must lie within the
 * chain and within the Redis head (a file or a head that ends before a checkpoint was cut or rolled
 * back), name the hash the chain has at its seq, and — for checkpoints Warden wrote, when the key is
 * known — carry a valid `mac`. Checked from the lowest seq up; the first problem is returned. Pure.
 */
export function checkAuditCheckpoints(entries: readonly AuditEntry[], known: readonly KnownCheckpoint[], options: CheckAuditCheckpointsOptions = {}): CheckpointProblem {
  const lastSeq = entries.length;
  for (const checkpoint of [...known].sort((a, b) => a.seq - b.seq)) {
    const { seq, source } = checkpoint;
    if (seq > lastSeq) {
      return {
        firstBadSeq: lastSeq + 1,
        reason: `the file ends at seq ${lastSeq}, before the checkpoint at seq ${seq} (${source}): its tail was cut off, or the log was rolled back`,
      };
    }
    if (options.headSeq !== undefined && seq > options.headSeq) {
      return {
        firstBadSeq: options.headSeq + 1,
        reason: `the Redis head is at seq ${options.headSeq}, before the checkpoint at seq ${seq} (${source}): the chain in Redis was rolled back`,
      };
    }
    if (entries[seq - 1]!.hash !== checkpoint.hash) {
      return { firstBadSeq: seq, reason: `seq ${seq} does not have the hash of the checkpoint (${source}): the log was rewritten from there on, or the checkpoint belongs to another log` };
    }
    if (options.hmacKey !== undefined && checkpoint.signed && !hasValidMac(checkpoint, options.hmacKey)) {
      return { firstBadSeq: seq, reason: `the checkpoint at seq ${seq} (${source}) is not signed with audit.hmacKey: it was forged, or written with another key` };
    }
  }
  return undefined;
}
