import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../redis/redis-client.js';
import type { Logger } from 'pino';
import { WardenError } from '../errors/warden-error.js';
import { SECRET_KEY } from '../observability/create-logger.js';
import { createSecretScrubber, REDACTED } from '../observability/scrub-secrets.js';
import { defineScript } from '../redis/define-script.js';
import { createRedisKeys } from '../redis/redis-keys.js';
import type { AuditEntry, AuditEntryInput, AuditLog } from './audit-log.js';
import { GENESIS_HASH, hashAuditEntry } from './hash-audit-entry.js';

/** Options of {@link createAuditLog}. */
export interface CreateAuditLogOptions {
  /** Any connection: an append is one script call, so the shared (auto-pipelined) producer connection is fine. */
  redis: RedisClient;
  /** `redis.prefix`: the chain lives at `<prefix>:audit:head` and `<prefix>:audit:stream`. */
  prefix: string;
  /** `audit.hmacKey`: chain with HMAC-SHA256 instead of sha256. */
  hmacKey?: string;
  /** Clock (epoch ms) for `at`. */
  now?: () => number;
  logger?: Logger;
  /** Known secret values (see `listSecrets`), removed from `subject` and `detail` should a caller pass one by mistake. */
  secrets?: readonly string[];
  /** Tries per append when other processes keep winning the race; default 30. */
  maxAttempts?: number;
}

// Compare-and-set of the head, with the hash computed in Node (Redis Lua has no sha256). The script
// checks the head the entry was built on and writes the stream entry and the new head together, or
// nothing: unlike WATCH/MULTI it needs no dedicated connection, and unlike MULTI it cannot leave a
// moved head behind an XADD that failed. On a conflict it returns the current head, so the retry
// costs no extra read. KEYS: head, stream. ARGV: expected seq, expected hash, genesis hash, then
// each entry to append after that head in threes (seq, hash, entry JSON).
const appendScript = defineScript<[number, string, string]>(
  'wardenAppendAuditEntries',
  `local head = redis.call('HMGET', KEYS[1], 'seq', 'hash')
local seq = head[1] or '0'
local hash = head[2] or ARGV[3]
if seq ~= ARGV[1] or hash ~= ARGV[2] then return {0, seq, hash} end
local last = #ARGV - 2
for i = 4, #ARGV, 3 do redis.call('XADD', KEYS[2], ARGV[i] .. '-0', 'entry', ARGV[i + 2]) end
redis.call('HSET', KEYS[1], 'seq', ARGV[last], 'hash', ARGV[last + 1])
return {1, ARGV[last], ARGV[last + 1]}`,
);

/** Entries written by one script call at most, when appends arrive faster than Redis answers. */
const MAX_BATCH = 100;

interface Pending {
  body: AuditEntryInput;
  resolve: (entry: AuditEntry) => void;
  reject: (error: unknown) => void;
}

interface Head {
  seq: number;
  hash: string;
}

/** Copies `value` with secret-looking strings and secret-named fields replaced (see `createLogger`). */
function scrubValue(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, scrub));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      SECRET_KEY.test(key) && (typeof field === 'string' || (typeof field === 'object' && field !== null)) ? REDACTED : scrubValue(field, scrub),
    ]),
  );
}

/**
 * The Redis-backed {@link AuditLog}. Each append takes the next `seq`, links to the head's hash,
 * hashes the entry ({@link hashAuditEntry}) and stores it in the stream `<prefix>:audit:stream` under
 * the id `<seq>-0` (the id *is* the sequence number, so XADD itself refuses to go backwards and the
 * exporter can resume from a seq) while moving the head hash `<prefix>:audit:head` (`seq`, `hash`)
 * in the same atomic step. Any number of processes share one gapless chain: a process that lost the
 * race rebuilds its entry on the new head and tries again (bounded, with jitter); appends within one
 * process are queued so that a process never races itself, and those that queue up while one is
 * being written go together in the next script call (at most 100), so a burst of appends — a
 * storm's opened incidents — costs a few round trips rather than one each.
 *
 * Callers never pass secrets or signature values; as a last line of defence (an audit entry can
 * never be removed without breaking the chain) strings that look like credentials, `secrets`, and
 * fields named like secrets are replaced with `[redacted]` in `subject` and `detail`. Everything
 * else is stored as given, after a JSON round trip (what is hashed is what is stored).
 *
 * Fails with `audit_unavailable` when Redis does; the entry may then have been recorded or not.
 */
export function createAuditLog(options: CreateAuditLogOptions): AuditLog {
  const { redis, hmacKey, logger } = options;
  const keys = createRedisKeys(options.prefix);
  const now = options.now ?? Date.now;
  const maxAttempts = options.maxAttempts ?? 30;
  const scrub = createSecretScrubber(options.secrets ?? []);
  // Optimistic: the first append of a process assumes an empty chain and learns the real head from the conflict.
  let head: Head = { seq: 0, hash: GENESIS_HASH };

  const build = (input: AuditEntryInput): AuditEntryInput => {
    const detail = input.detail === undefined ? undefined : scrubValue(JSON.parse(JSON.stringify(input.detail)), scrub);
    return {
      type: input.type,
      actor: input.actor,
      ...(input.subject === undefined ? {} : { subject: scrub(input.subject) }),
      ...(input.outcome === undefined ? {} : { outcome: input.outcome }),
      ...(detail === undefined ? {} : { detail: detail as Record<string, unknown> }),
    };
  };

  const appendNow = async (bodies: readonly AuditEntryInput[]): Promise<AuditEntry[]> => {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const at = new Date(now()).toISOString();
      const entries: AuditEntry[] = [];
      let prev = head;
      for (const body of bodies) {
        const unsigned = { seq: prev.seq + 1, at, ...body, prev: prev.hash };
        const entry: AuditEntry = { ...unsigned, hash: hashAuditEntry(unsigned, hmacKey) };
        entries.push(entry);
        prev = { seq: entry.seq, hash: entry.hash };
      }
      let reply: [number, string, string];
      try {
        reply = await appendScript(
          redis,
          [keys.auditHead, keys.auditStream],
          [String(head.seq), head.hash, GENESIS_HASH, ...entries.flatMap((entry) => [String(entry.seq), entry.hash, JSON.stringify(entry)])],
        );
      } catch (error) {
        const message = (error as Error).message;
        const why = /equal or smaller/.test(message)
          ? `the audit stream already holds seq ${head.seq + 1} but the head is at seq ${head.seq}: the head key was lost; restore it (or the stream) before appending`
          : message;
        throw new WardenError('audit_unavailable', `audit log unavailable: ${why}`, { cause: error, retryable: !/equal or smaller/.test(message) });
      }
      const [applied, seq, hash] = reply;
      if (applied === 1) {
        head = prev;
        return entries;
      }
      head = { seq: Number(seq), hash };
      // Another process appended in between: back off a little so that two retries do not stay in lockstep.
      if (attempt > 1) await sleep(Math.random() * Math.min(2 ** attempt, 50));
    }
    logger?.warn({ types: [...new Set(bodies.map((body) => body.type))], attempts: maxAttempts }, 'audit append gave up: other processes kept appending first');
    throw new WardenError('audit_unavailable', `audit log unavailable: ${maxAttempts} attempts lost the race to other appends`);
  };

  // Appends that arrive while one is on its way are written together by the next script call
  // (group commit): each still gets its own seq and hash, in arrival order.
  const pending: Pending[] = [];
  let writing = false;
  const write = async () => {
    writing = true;
    while (pending.length > 0) {
      const batch = pending.splice(0, MAX_BATCH);
      try {
        const entries = await appendNow(batch.map((item) => item.body));
        batch.forEach((item, i) => item.resolve(entries[i]!));
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    writing = false;
  };

  return {
    append(input) {
      return new Promise<AuditEntry>((resolve, reject) => {
        pending.push({ body: build(input), resolve, reject });
        if (!writing) void write();
      });
    },
  };
}
