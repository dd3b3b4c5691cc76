import type { RedisClient } from '../redis/redis-client.js';
import type { Logger } from 'pino';
import { acquireLock } from '../redis/acquire-lock.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { AuditLog } from './audit-log.js';
import { AUDIT_CHECKPOINT_TYPE, type AuditCheckpoint } from './audit-checkpoint.js';
import { toAuditCheckpoint } from './read-audit-redis-state.js';
import { signAuditCheckpoint } from './sign-audit-checkpoint.js';
import { trimAuditStream } from './trim-audit-stream.js';

/** Options of {@link takeAuditCheckpoint}. */
export interface TakeAuditCheckpointOptions {
  redis: RedisClient;
  keys: RedisKeys;
  /** The chain the checkpoint entry is appended to. */
  audit: AuditLog;
  /** `audit.hmacKey`: signs the checkpoint. */
  hmacKey?: string;
  now: () => number;
  logger: Logger;
  /** Queues the checkpoint for the chat destinations (`audit.checkpoint.to`); the same checkpoint twice has no further effect. */
  announce?: (checkpoint: AuditCheckpoint) => Promise<void>;
  /** Sends the checkpoint to `audit.checkpoint.url`; throws when it could not. */
  post?: (checkpoint: AuditCheckpoint) => Promise<void>;
}

/** Held while a checkpoint is taken; a holder that died frees it after this long. */
const LOCK_MS = 120_000;

/**
 * Takes a checkpoint of the audit chain, one process at a time: the head's seq and hash, signed
 * (`signAuditCheckpoint`), appended to the chain as an `audit.checkpoint` entry (so every audit file
 * gets it from its exporter), recorded in Redis, announced and posted. A checkpoint whose announcing
 * or posting failed is finished first by the next call; when nothing was appended since the last
 * checkpoint no new one is taken. Then, once the last checkpoint is posted, the stream is trimmed to
 * it (`trimAuditStream`). Throws when posting fails, so that a job is retried. Returns a summary.
 */
export async function takeAuditCheckpoint(options: TakeAuditCheckpointOptions, reason: 'scheduled' | 'shutdown'): Promise<string> {
  const { redis, keys } = options;
  const lock = await acquireLock(redis, keys.auditCheckpointLock, LOCK_MS);
  if (!lock) return 'another process is taking a checkpoint';
  try {
    const record = await redis.hgetall(keys.auditCheckpoint);
    let last = toAuditCheckpoint(record);
    if (last) await finish(options, last, record);

    const said: string[] = [];
    const [seq, hash] = await redis.hmget(keys.auditHead, 'seq', 'hash');
    if (!seq || !hash) return 'no audit chain yet';
    const [headItem] = await redis.xrange(keys.auditStream, `${seq}-0`, `${seq}-0`);
    if (typeOf(headItem?.[1][1]) === AUDIT_CHECKPOINT_TYPE || last?.seq === Number(seq)) {
      said.push(`nothing appended since the checkpoint at seq ${last?.seq ?? Number(seq) - 1}`);
    } else {
      const checkpoint = signAuditCheckpoint({ seq: Number(seq), hash, at: new Date(options.now()).toISOString() }, options.hmacKey);
      await options.audit.append({ type: AUDIT_CHECKPOINT_TYPE, actor: 'warden', subject: `seq ${checkpoint.seq}`, outcome: 'ok', detail: { ...checkpoint, reason } });
      await redis.multi().del(keys.auditCheckpoint).hset(keys.auditCheckpoint, { ...checkpoint }).exec();
      options.logger.info({ seq: checkpoint.seq, hash: checkpoint.hash, reason }, 'audit checkpoint taken');
      await finish(options, checkpoint, {});
      last = checkpoint;
      said.push(`checkpoint at seq ${checkpoint.seq}`);
    }

    const trimmed = last ? await trimAuditStream(redis, keys, last.seq, { now: options.now(), logger: options.logger }) : undefined;
    if (trimmed?.from !== undefined) said.push(`the stream starts at seq ${trimmed.from} (${trimmed.removed} entries removed)`);
    else if (trimmed?.why) said.push(`not trimmed: ${trimmed.why}`);
    return said.join('; ');
  } finally {
    await lock.release().catch(() => undefined);
  }
}

function typeOf(json: string | undefined): unknown {
  try {
    return (JSON.parse(json ?? '{}') as { type?: unknown }).type;
  } catch {
    return undefined;
  }
}

/** Announces and posts `checkpoint` unless `record` says that was done. */
async function finish(options: TakeAuditCheckpointOptions, checkpoint: AuditCheckpoint, record: Record<string, string>): Promise<void> {
  if (record.announced !== '1') {
    await options.announce?.(checkpoint);
    await options.redis.hset(options.keys.auditCheckpoint, 'announced', '1');
  }
  if (record.posted !== '1') {
    await options.post?.(checkpoint);
    await options.redis.hset(options.keys.auditCheckpoint, 'posted', '1');
  }
}
