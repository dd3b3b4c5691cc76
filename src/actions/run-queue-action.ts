import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_NAME_PATTERN, type ActionConfig } from '../config/action-schema.js';
import { isWardenError } from '../errors/warden-error.js';
import type { RedisClient } from '../redis/redis-client.js';
import { createSecretScrubber } from '../observability/scrub-secrets.js';
import { startRemediationResult, type RemediationResult } from './remediation-result.js';
import { renderTemplate } from '../templates/render-template.js';
import { sanitizeText } from '../shared/sanitize-text.js';

/** A built-in `queue` action from config. */
export type QueueAction = Extract<ActionConfig, { kind: 'queue' }>;

/** Options of {@link runQueueAction}. */
export interface QueueActionOptions {
  /** Warden's own Redis, used when the action names no `redis`. It is not closed. */
  connection: RedisClient;
  /** Clock in epoch milliseconds; defaults to `Date.now`. */
  now?: () => number;
  /**
   * Warden's own queue prefix (`redis.prefix`): a queue under it on Warden's own Redis is refused,
   * so an alert label can never pause Warden's notify or remediate queues.
   */
  wardenPrefix?: string;
  /** Secret values to scrub from the summary (e.g. `listSecrets(config)`). */
  secrets?: readonly string[];
  /** The result scrubber of this process (see `createResultScrubber`); applied on top of `secrets`. */
  scrub?: (text: string) => string;
  /** Copied to the result; defaults to `queue`. */
  actionId?: string;
}

const CONNECT_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
};

/** How long connecting to another Redis (the action's `redis`) may take. */
const CONNECT_TIMEOUT_MS = 3000;

/**
 * Pauses or resumes the BullMQ queue the action names (the name may come from a template, checked
 * against its `params` pattern and then against BullMQ's name rules; a mismatch is a permanent
 * failure and nothing changes). Idempotent: pausing a paused queue succeeds and says so. A name
 * with no keys at all under the prefix is refused as permanent (most likely a typo: "paused"
 * would be a lie). With `redis`, a short-lived connection to that URL is opened and closed again.
 * Redis errors and the `timeoutSeconds` limit are transient failures.
 *
 * Summary: "Paused queue tasks (12 waiting, 3 active)".
 */
export async function runQueueAction(action: QueueAction, inputs: Record<string, string>, options: QueueActionOptions): Promise<RemediationResult> {
  const own = createSecretScrubber([...(options.secrets ?? []), ...listUrlCredentials(action.redis)]);
  const shared = options.scrub;
  const scrub = shared ? (text: string) => own(shared(text)) : own;
  const finish = startRemediationResult({ actionId: options.actionId ?? 'queue', title: action.title }, { now: options.now, scrub });
  const verb = action.operation === 'pause' ? 'paused' : 'resumed';

  let name: string;
  try {
    name = renderTemplate(action.queue, inputs, action.params, (value) => value);
  } catch (error) {
    if (!isWardenError(error)) throw error;
    return finish({ ok: false, permanent: true, summary: `not ${verb}: ${error.message}` });
  }
  const shown = sanitizeText(name, 80);
  if (!QUEUE_NAME_PATTERN.test(name)) {
    return finish({ ok: false, permanent: true, summary: `not ${verb}: "${shown}" is not a BullMQ queue name (letters, digits, _ and -, at most 64 characters)` });
  }
  if (action.redis === undefined && options.wardenPrefix !== undefined && action.prefix === options.wardenPrefix) {
    return finish({ ok: false, permanent: true, summary: `not ${verb}: "${shown}" would be one of Warden's own queues (prefix ${sanitizeText(action.prefix, 64)}); pick the queue's own prefix` });
  }

  let other: Redis | undefined;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${action.timeoutSeconds} s`)), action.timeoutSeconds * 1000);
  });
  const work = (async () => {
    if (action.redis !== undefined) other = await connectOther(action.redis);
    return await switchQueue(other ?? options.connection, name, action);
  })();
  // Lost to the deadline, it still settles (disconnecting `other` below ends it): never unhandled.
  work.catch(() => undefined);
  try {
    const outcome = await Promise.race([work, deadline]);
    if (outcome === undefined) {
      return finish({ ok: false, permanent: true, summary: `not ${verb}: no BullMQ queue "${shown}" under prefix ${sanitizeText(action.prefix, 64)} (check the name and prefix)` });
    }
    const counts = `${outcome.waiting} waiting, ${outcome.active} active`;
    const summary = outcome.wasPaused === (action.operation === 'pause') ? `Queue ${shown} was already ${verb} (${counts})` : `${action.operation === 'pause' ? 'Paused' : 'Resumed'} queue ${shown} (${counts})`;
    return finish({ ok: true, summary });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return finish({ ok: false, permanent: false, summary: `not ${verb}: ${sanitizeText(reason.startsWith('cannot connect') ? reason : `Redis error: ${reason}`, 160)}` });
  } finally {
    clearTimeout(timer);
    (other as Redis | undefined)?.disconnect();
  }
}

/** Pauses or resumes the queue; `undefined` when no key of it exists. The Queue object is always closed. */
async function switchQueue(connection: RedisClient, name: string, action: QueueAction): Promise<{ wasPaused: boolean; waiting: number; active: number } | undefined> {
  const base = `${action.prefix}:${name}`;
  // One key per call: with Redis Cluster, keys of an untagged prefix live in different slots.
  const found = await Promise.all(['meta', 'id', 'wait', 'active', 'paused', 'events'].map((suffix) => connection.exists(`${base}:${suffix}`)));
  if (found.every((count) => count === 0)) return undefined;
  const queue = new Queue(name, { connection, prefix: action.prefix });
  try {
    const wasPaused = await queue.isPaused();
    if (action.operation === 'pause') await queue.pause();
    else await queue.resume();
    const [waiting, active] = await Promise.all([queue.getWaitingCount(), queue.getActiveCount()]);
    return { wasPaused, waiting, active };
  } finally {
    await queue.close().catch(() => undefined);
  }
}

async function connectOther(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: 5000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectionName: 'warden-queue-action',
    protocol: 2,
  });
  // Unhandled 'error' events would crash the process; the first one explains a failed connect().
  let cause: unknown;
  redis.on('error', (error: unknown) => {
    cause ??= error;
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const reason = cause ?? error;
    const code = (reason as { code?: unknown }).code;
    const message = typeof code === 'string' ? (CONNECT_ERRORS[code] ?? code) : reason instanceof Error ? reason.message : String(reason);
    throw new Error(`cannot connect to the queue's Redis (${message})`, { cause: reason });
  }
  return redis;
}

/** The user and password of a Redis URL, raw and decoded, to scrub from messages. */
function listUrlCredentials(url: string | undefined): string[] {
  if (url === undefined) return [];
  try {
    const parsed = new URL(url);
    const found = [parsed.password, parsed.username];
    try {
      found.push(decodeURIComponent(parsed.password));
    } catch {
      // Not valid percent-encoding: the raw form is listed.
    }
    return found.filter((value) => value !== '');
  } catch {
    return [url];
  }
}
