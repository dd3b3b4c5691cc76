import { readAuditFile } from '../audit/read-audit-file.js';
import { readAuditRedisState, toAuditCheckpoint } from '../audit/read-audit-redis-state.js';
import { verifyAuditLog } from '../audit/verify-audit-log.js';
import type { RedisClient } from '../redis/redis-client.js';
import type { RedisKeys } from '../redis/redis-keys.js';

/** What the console's audit page shows: the verification of the audit file against Redis, and the last checkpoint. */
export interface AuditStatus {
  /** `verified`: chain, checkpoints and Redis agree; `failed`: a check failed; `not-verified`: the file or the chain head is missing. */
  state: 'verified' | 'failed' | 'not-verified';
  file: string;
  checkedAt: number;
  count?: number;
  lastSeq?: number;
  firstBadSeq?: number;
  reason?: string;
  /** The highest checkpoint the verification held the chain against. */
  lastCheckpoint?: { seq: number; hash: string; at?: string; source: string };
  /** The last checkpoint recorded in Redis, and where it was sent. */
  recorded?: { seq: number; hash: string; at: string; signed: boolean; announced: boolean; posted: boolean };
}

/**
 * Verifies the audit log as `warden audit-log verify` does (the Redis head and stream first, then
 * the file `audit.file` of this host) and reads the last checkpoint record. Never throws: what
 * could not be read is the status' reason.
 */
export async function readAuditStatus(deps: { redis: RedisClient; keys: RedisKeys; file: string; hmacKey?: string; now: () => number }): Promise<AuditStatus> {
  const checkedAt = deps.now();
  const record = await deps.redis.hgetall(deps.keys.auditCheckpoint);
  const checkpoint = toAuditCheckpoint(record);
  const recorded = checkpoint && {
    seq: checkpoint.seq,
    hash: checkpoint.hash,
    at: checkpoint.at,
    signed: checkpoint.mac !== undefined,
    announced: record.announced === '1',
    posted: record.posted === '1',
  };
  const base = { file: deps.file, checkedAt, ...(recorded ? { recorded } : {}) };
  const lookup = await readAuditRedisState(deps.redis, deps.keys);
  if (!lookup.state) return { ...base, state: 'not-verified', reason: 'Redis holds no audit chain head yet (nothing audited, or the wrong prefix)' };
  let contents;
  try {
    contents = await readAuditFile(deps.file);
  } catch (error) {
    return { ...base, state: 'not-verified', reason: `${(error as Error).message} (the file is written by the worker processes; on a web-only host run \`warden audit-log verify\` where it is)` };
  }
  const result = verifyAuditLog(contents.entries, { hmacKey: deps.hmacKey, redis: lookup.state, describeEntry: (index) => `line ${index + 1}` });
  if (!result.ok) return { ...base, state: 'failed', count: result.count, firstBadSeq: result.firstBadSeq, reason: result.reason };
  return {
    ...base,
    state: 'verified',
    count: result.count,
    lastSeq: result.lastSeq,
    ...(result.lastCheckpoint ? { lastCheckpoint: { seq: result.lastCheckpoint.seq, hash: result.lastCheckpoint.hash, ...(result.lastCheckpoint.at ? { at: result.lastCheckpoint.at } : {}), source: result.lastCheckpoint.source } } : {}),
  };
}

/**
 * {@link readAuditStatus}, read again (up to `attempts` times, `delayMs` apart) while it fails: on a
 * live Warden the file may lag the Redis head by the exporter's last few entries, or gain entries
 * appended between the two readings. A failure that stays is reported.
 */
export async function readSettledAuditStatus(read: () => Promise<AuditStatus>, attempts = 3, delayMs = 700): Promise<AuditStatus> {
  let status = await read();
  for (let attempt = 1; attempt < attempts && status.state === 'failed'; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    status = await read();
  }
  return status;
}

/** {@link readAuditStatus} at most once per `ttlMs`, one reading at a time: the page may be reloaded freely. */
export function cacheAuditStatus(read: () => Promise<AuditStatus>, now: () => number, ttlMs = 30_000): () => Promise<AuditStatus> {
  let cached: { at: number; status: Promise<AuditStatus> } | undefined;
  return () => {
    if (cached === undefined || now() - cached.at >= ttlMs) {
      const status = read();
      cached = { at: now(), status };
      // A failed reading is not kept.
      status.catch(() => {
        if (cached?.status === status) cached = undefined;
      });
    }
    return cached.status;
  };
}
