import type { AuditEntry } from './audit-log.js';
import { AUDIT_CHECKPOINT_TYPE, type KnownCheckpoint } from './audit-checkpoint.js';

/** What {@link listAuditCheckpoints} found. */
export interface ListedAuditCheckpoints {
  checkpoints: KnownCheckpoint[];
  /** The first checkpoint entry that does not describe an earlier entry of the chain. */
  malformed?: { seq: number; reason: string };
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The checkpoints recorded in a chain: its {@link AUDIT_CHECKPOINT_TYPE} entries, whose `detail`
 * is `{ seq, hash, at, mac? }` of an earlier entry. `describeEntry` names where each was found.
 */
export function listAuditCheckpoints(entries: readonly AuditEntry[], describeEntry: (index: number) => string): ListedAuditCheckpoints {
  const checkpoints: KnownCheckpoint[] = [];
  for (const [index, entry] of entries.entries()) {
    if (entry.type !== AUDIT_CHECKPOINT_TYPE) continue;
    const { seq, hash, at, mac } = (entry.detail ?? {}) as Record<string, unknown>;
    if (!Number.isSafeInteger(seq) || (seq as number) < 1 || (seq as number) >= entry.seq || typeof hash !== 'string' || !HEX64.test(hash) || typeof at !== 'string') {
      return { checkpoints, malformed: { seq: entry.seq, reason: `the checkpoint at seq ${entry.seq} does not name an earlier entry by seq, hash and time` } };
    }
    checkpoints.push({
      seq: seq as number,
      hash,
      at,
      ...(typeof mac === 'string' ? { mac } : {}),
      source: `the checkpoint entry seq ${entry.seq} (${describeEntry(index)})`,
      signed: true,
    });
  }
  return { checkpoints };
}
