import { resolve } from 'node:path';
import type { RedisClient } from '../redis/redis-client.js';
import type { Logger } from 'pino';
import { waitForAuditFile } from '../audit/wait-for-audit-file.js';
import { WardenError } from '../errors/warden-error.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { AuditCheckpointer } from './create-audit-checkpointer.js';

/** What {@link checkpointOnShutdown} needs. */
export interface CheckpointOnShutdownParts {
  checkpointer: AuditCheckpointer;
  /** A fail-fast connection: shutdown must not wait for a Redis that is down. */
  redis: RedisClient;
  keys: RedisKeys;
  /** `audit.file`: waited for when this process exports it. */
  file: string | undefined;
  logger: Logger;
  /** Bound of the whole step; default 15 s (within the 25 s a stop is given). */
  timeoutMs?: number;
}

/**
 * Takes a checkpoint as a process running workers stops (its last entries are then anchored), and
 * waits a little for the audit file to hold it before the exporter stops. Never throws: a failure is
 * logged, and the next scheduled checkpoint finishes or replaces it.
 */
export async function checkpointOnShutdown(parts: CheckpointOnShutdownParts): Promise<void> {
  const timeoutMs = parts.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new WardenError('checkpoint_timeout', `no audit checkpoint within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const said = await Promise.race([parts.checkpointer('shutdown', { postTimeoutMs: Math.floor(timeoutMs / 3) }), expired]);
    parts.logger.info({ result: said }, 'audit checkpoint on shutdown');
    const [seq] = await Promise.race([parts.redis.hmget(parts.keys.auditHead, 'seq'), expired]);
    if (parts.file !== undefined && seq && !(await waitForAuditFile(resolve(parts.file), Number(seq), Math.max(0, deadline - Date.now())))) {
      parts.logger.warn({ seq: Number(seq) }, 'the audit file did not get the last entries before the exporter stopped; it gets them when an exporter runs again');
    }
  } catch (error) {
    parts.logger.warn({ err: error }, 'no audit checkpoint on shutdown; the next scheduled one covers these entries');
  } finally {
    clearTimeout(timer);
  }
}
