import type { AuditEntry } from './audit-log.js';
import type { KnownCheckpoint } from './audit-checkpoint.js';
import type { CheckpointProblem } from './check-audit-checkpoints.js';

/** One entry of the Redis stream: its seq (from the id) and the hash it holds (undefined when unreadable). */
export interface StreamItem {
  seq: number;
  hash: string | undefined;
}

/**
 * Holds a verified file chain that ends at the Redis head against what the Redis stream still
 * holds (its entries up to the head): the stream must be one gapless run ending at the head, every
 * entry in it must be the file's entry of that seq, and entries it no longer holds (trimmed after a
 * checkpoint) must be covered by a known checkpoint at or after the last of them. Pure.
 */
export function compareAuditStream(
  entries: readonly AuditEntry[],
  stream: readonly StreamItem[],
  head: { seq: number; hash: string },
  checkpoints: readonly KnownCheckpoint[],
): CheckpointProblem {
  const first = stream[0];
  const last = stream.at(-1);
  if (!first || !last || last.seq !== head.seq || last.hash !== head.hash) {
    return { firstBadSeq: head.seq, reason: `the Redis head (seq ${head.seq}) is not the last entry of the Redis stream: the head or the stream was altered` };
  }
  for (const [i, item] of stream.entries()) {
    if (item.seq !== first.seq + i) {
      return { firstBadSeq: first.seq + i, reason: `the Redis stream lacks seq ${first.seq + i}: entries were deleted from it` };
    }
    if (item.hash !== entries[item.seq - 1]?.hash) {
      return { firstBadSeq: item.seq, reason: `seq ${item.seq} differs between the file and the Redis stream: one of them was rewritten` };
    }
  }
  const trimmedTo = first.seq - 1;
  if (trimmedTo > 0 && !checkpoints.some((checkpoint) => checkpoint.seq >= trimmedTo)) {
    return {
      firstBadSeq: 1,
      reason: `Redis no longer holds seq 1–${trimmedTo}, and no checkpoint covers them: the stream was trimmed without one, or the checkpoint entries were removed`,
    };
  }
  return undefined;
}
