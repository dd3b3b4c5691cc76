import type { Redis } from 'ioredis';
import type { AuditEntry } from '../../src/audit/audit-log.js';
import { readAuditFile } from '../../src/audit/read-audit-file.js';
import type { RedisKeys } from '../../src/redis/redis-keys.js';

/**
 * Every audit entry so far, by seq: the audit file's (which keeps what checkpoints trimmed from
 * Redis) and the stream's (which holds what the exporter has not written yet).
 */
export async function readAuditHistory(redis: Redis, keys: RedisKeys, file: string): Promise<AuditEntry[]> {
  const bySeq = new Map<number, AuditEntry>();
  const contents = await readAuditFile(file).catch(() => ({ entries: [] as unknown[] }));
  for (const entry of contents.entries as AuditEntry[]) if (entry) bySeq.set(entry.seq, entry);
  for (const [, fields] of await redis.xrange(keys.auditStream, '-', '+')) {
    const entry = JSON.parse(fields[1]!) as AuditEntry;
    bySeq.set(entry.seq, entry);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
