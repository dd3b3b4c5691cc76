import type { RedisClient } from '../redis/redis-client.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { AuditCheckpoint } from './audit-checkpoint.js';
import type { StreamItem } from './compare-audit-stream.js';
import type { AuditRedisState } from './verify-audit-log.js';

/** What Redis holds of the audit chain; `state` is undefined when there is no head. */
export interface AuditRedisLookup {
  state?: AuditRedisState;
  /** Entries in the stream (for saying what is there when the head is missing). */
  streamLength: number;
}

function hashIn(fields: string[]): string | undefined {
  try {
    const hash = (JSON.parse(fields[1] ?? '') as { hash?: unknown }).hash;
    return typeof hash === 'string' ? hash : undefined;
  } catch {
    return undefined;
  }
}

/** The last checkpoint recorded in Redis, if its fields are whole. */
export function toAuditCheckpoint(record: Record<string, string>): AuditCheckpoint | undefined {
  const seq = Number(record.seq);
  if (!Number.isSafeInteger(seq) || seq < 1 || !record.hash || !record.at) return undefined;
  return { seq, hash: record.hash, at: record.at, ...(record.mac ? { mac: record.mac } : {}) };
}

/**
 * Reads the head, the stream up to the head (in pages: before its first trim the stream holds the
 * whole log) and the last checkpoint record. The head is read first, so entries appended meanwhile
 * are left out rather than mistaken for a tail the file lacks.
 */
export async function readAuditRedisState(redis: RedisClient, keys: RedisKeys, pageSize = 1000): Promise<AuditRedisLookup> {
  const [seq, hash] = await redis.hmget(keys.auditHead, 'seq', 'hash');
  if (!seq || !hash) return { streamLength: await redis.xlen(keys.auditStream) };
  const head = { seq: Number(seq), hash };
  const stream: StreamItem[] = [];
  let start = '-';
  for (;;) {
    const page = await redis.xrange(keys.auditStream, start, `${head.seq}-0`, 'COUNT', pageSize);
    for (const [id, fields] of page) stream.push({ seq: Number(id.split('-')[0]), hash: hashIn(fields) });
    if (page.length < pageSize) break;
    // The ids are `<seq>-0`: `<seq>-1` starts just after the last one, on any Redis version.
    start = `${page.at(-1)![0].split('-')[0]}-1`;
  }
  const checkpoint = toAuditCheckpoint(await redis.hgetall(keys.auditCheckpoint));
  return { state: { head, stream, ...(checkpoint ? { checkpoint } : {}) }, streamLength: stream.length };
}
