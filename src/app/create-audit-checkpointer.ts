import type { RedisClient } from '../redis/redis-client.js';
import type { Logger } from 'pino';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuditCheckpoint } from '../audit/audit-checkpoint.js';
import { describeAuditCheckpoint } from '../audit/describe-audit-checkpoint.js';
import { postAuditCheckpoint } from '../audit/post-audit-checkpoint.js';
import { takeAuditCheckpoint } from '../audit/take-audit-checkpoint.js';
import type { Config } from '../config/config-schema.js';
import type { Work } from '../ports/work.js';
import type { RedisKeys } from '../redis/redis-keys.js';

/** What {@link createAuditCheckpointer} needs. */
export interface AuditCheckpointerParts {
  config: Config;
  redis: RedisClient;
  keys: RedisKeys;
  work: Work;
  audit: AuditLog;
  logger: Logger;
  now: () => number;
}

/** Takes a checkpoint (see `takeAuditCheckpoint`); `postTimeoutMs` bounds the POST to `audit.checkpoint.url`. */
export type AuditCheckpointer = (reason: 'scheduled' | 'shutdown', options?: { postTimeoutMs?: number }) => Promise<string>;

/**
 * Wires `takeAuditCheckpoint` to the configuration: signed with `audit.hmacKey`, posted to the chat
 * destinations `audit.checkpoint.to` as notices (chat sends only go through queued work; each
 * checkpoint is one message per destination) and POSTed to
 * `audit.checkpoint.url` with its headers.
 */
export function createAuditCheckpointer(parts: AuditCheckpointerParts): AuditCheckpointer {
  const { config, work } = parts;
  const { to, url, headers } = config.audit.checkpoint;
  const announce = async (checkpoint: AuditCheckpoint) => {
    const notice = { title: `Audit checkpoint: seq ${checkpoint.seq}`, text: describeAuditCheckpoint(checkpoint, config.redis.prefix), accent: 'info' as const };
    const id = `audit-checkpoint.${checkpoint.seq}.${checkpoint.hash.slice(0, 16)}`;
    await work.postNotice(id, to, notice);
  };
  return (reason, options = {}) =>
    takeAuditCheckpoint(
      {
        redis: parts.redis,
        keys: parts.keys,
        audit: parts.audit,
        hmacKey: config.audit.hmacKey,
        now: parts.now,
        logger: parts.logger,
        announce,
        ...(url === undefined ? {} : { post: (checkpoint: AuditCheckpoint) => postAuditCheckpoint(checkpoint, { url, headers, timeoutMs: options.postTimeoutMs }) }),
      },
      reason,
    );
}
