import type { Logger } from 'pino';
import type { AuditLog } from '../audit/audit-log.js';
import type { Config } from '../config/config-schema.js';
import type { QUEUE_NAMES } from '../jobs/create-queues.js';
import type { Terminal } from '../observability/create-terminal.js';
import type { ChatAdapter } from '../ports/chat-adapter.js';
import type { RedisTarget } from '../redis/redis-target.js';

/** Which parts one process runs: `web` serves HTTP, `worker` processes jobs, `all` both. */
export type Role = 'all' | 'web' | 'worker';

/** Options for {@link createWarden}. */
export interface CreateWardenOptions {
  config: Config;
  role: Role;
  /** Where Redis is (see `readRedisTarget`); every connection of the process goes there. */
  redis: RedisTarget;
  logger: Logger;
  /** Replaces chat adapters (tests use a recording console). */
  adapters?: Partial<Record<'slack' | 'lark' | 'console', ChatAdapter>>;
  /** Injectable clock (epoch ms). */
  now?: () => number;
  /** Replaces the Redis-backed audit log (tests that only look at what was audited). */
  audit?: AuditLog;
  /** How long active jobs may run on shutdown before they are stopped (and later retried). */
  shutdownGraceMs?: number;
  /** Jobs per queue processed at once by this process. */
  concurrency?: Partial<Record<(typeof QUEUE_NAMES)[number], number>>;
  /**
   * With the web role in the same process: the event-loop delay (ms) above which the workers take
   * fewer jobs at once, so that webhooks and clicks are answered first. Default 20.
   */
  intakeTargetDelayMs?: number;
  /** Every worker's job lock in ms (see `startWorkers`); default `JOB_LOCK_MS` (10 s). */
  workerLockMs?: number;
  /** Folder of the checklist files; default `checklists/` of the Warden package. */
  checklistsDir?: string;
  /** How often open runs and schedules are swept (reminders, escalation, missed slots); default every minute. */
  checklistSweepEveryMs?: number;
  /** A schedule slot without a run counts as missed once this old; default 5 minutes. */
  missedSlotAfterMs?: number;
  /** How long a configured escalation minute (`escalation.policies`' `afterMinutes`, `everyMinutes`) is, in ms; default 60 000. */
  escalationMinuteMs?: number;
  /** Refused requests are audited once per route and this many ms; default a minute. */
  rejectionWindowMs?: number;
  /** Path of the config file (the self-audit checks its mode); null when configured from the environment. */
  configPath?: string | null;
  /** The environment the configuration came from (the self-audit reads it); default `process.env`. */
  env?: Record<string, string | undefined>;
  /** The terminal of the process, shared by the log and the console adapter (see `createTerminal`). */
  terminal?: Terminal;
  /**
   * Let the person at the terminal act on the cards (see `startConsoleInput`): only in role `all`,
   * on a terminal, without Slack or Lark, and for the people of `access.people` with a `console:`
   * identity. `input` and `output` default to stdin and stdout.
   */
  consoleInput?: { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream };
}
