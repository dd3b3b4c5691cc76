import type { RedisClient } from '../redis/redis-client.js';
import type { Logger } from 'pino';
import type { RedisKeys } from '../redis/redis-keys.js';

/** An audit file whose exporter has not reported for this long no longer holds the trimming back. */
export const EXPORTER_SILENT_AFTER_MS = 7 * 24 * 3_600_000;

/** What {@link trimAuditStream} did. */
export interface TrimResult {
  /** The stream now starts at this seq (entries before it were removed); undefined when nothing was trimmed. */
  from?: number;
  removed: number;
  /** Why nothing was trimmed, when nothing was. */
  why?: string;
}

interface Progress {
  seq: number;
  at: number;
}

function parseProgress(value: string): Progress | undefined {
  try {
    const parsed = JSON.parse(value) as Partial<Progress>;
    return Number.isSafeInteger(parsed.seq) && Number.isFinite(parsed.at) ? (parsed as Progress) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes from the audit stream the entries before `upToSeq` (the seq of a checkpoint that has been
 * posted) that every audit file already holds: the stream then starts at the lowest of `upToSeq` and
 * each file's last seq, so an exporter always finds its last entry in Redis and resumes after it.
 * Files whose exporter reported nothing for {@link EXPORTER_SILENT_AFTER_MS} are forgotten (with a
 * warning) so that a host taken away does not hold Redis' growth back for ever; without any file
 * nothing is trimmed. The head is never touched.
 */
export async function trimAuditStream(redis: RedisClient, keys: RedisKeys, upToSeq: number, options: { now: number; logger: Logger }): Promise<TrimResult> {
  const reported = await redis.hgetall(keys.auditExporters);
  const live: number[] = [];
  for (const [exporter, value] of Object.entries(reported)) {
    const progress = parseProgress(value);
    if (progress && options.now - progress.at < EXPORTER_SILENT_AFTER_MS) {
      live.push(progress.seq);
      continue;
    }
    await redis.hdel(keys.auditExporters, exporter);
    options.logger.warn({ exporter }, 'an audit file has not been written for a week: the audit stream is trimmed without waiting for it any longer');
  }
  if (live.length === 0) return { removed: 0, why: 'no audit file has reported its progress' };
  const from = Math.min(upToSeq, ...live);
  if (from <= 1) return { removed: 0, why: 'nothing before the checkpoint is in every audit file yet' };
  const removed = Number(await redis.xtrim(keys.auditStream, 'MINID', `${from}-0`));
  return { from, removed };
}
