import { randomUUID } from 'node:crypto';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../redis/redis-client.js';
import { duplicateRedis } from '../redis/duplicate-redis.js';
import { createReplicaWait, type ReplicaWaitOptions } from '../redis/create-replica-wait.js';
import type { Logger } from 'pino';
import { defineScript } from '../redis/define-script.js';
import { createRedisKeys } from '../redis/redis-keys.js';
import { GENESIS_HASH } from './hash-audit-entry.js';
import { readLastAuditLine } from './read-audit-file.js';

/** Options of {@link startAuditExport}. */
export interface StartAuditExportOptions {
  /** A ready connection; the exporter duplicates it once for its blocking reads and uses it for the lock. */
  redis: RedisClient;
  /** `redis.prefix` and `audit.file` (resolved against the working directory). */
  prefix: string;
  file: string;
  logger: Logger;
  /** How long the per-host lock outlives a crashed holder; default 15 s. */
  lockTtlMs?: number;
  /** How long one read waits for new entries; default 1 s (at most a third of the lock's lifetime). */
  blockMs?: number;
  /** Default: the machine's hostname. */
  hostname?: string;
  /** Clock (epoch ms) of the progress it reports. */
  now?: () => number;
  /** `redis.waitForReplicas`: entries go into the file only once this many replicas hold them. */
  replicas?: ReplicaWaitOptions;
}

/** A running exporter. */
export interface AuditExport {
  /** True once it refused to write (the reason is logged): nothing more reaches the file until a restart. */
  readonly refused: boolean;
  /** Stops reading, finishes the write under way, releases the lock. Idempotent. */
  stop(): Promise<void>;
}

// 2 = taken now (someone may have written the file meanwhile), 1 = renewed, 0 = held by another exporter.
const claimScript = defineScript<number>(
  'wardenClaimAuditExport',
  `local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 2`,
);
const releaseScript = defineScript<number>(
  'wardenReleaseAuditExport',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
);

/** The open file and the last entry in it. */
type FileState = { handle: FileHandle; seq: number; hash: string; size: number };

type XreadReply = [stream: string, items: [id: string, fields: string[]][]][] | null;
type StoredEntry = { seq?: unknown; prev?: unknown; hash?: unknown } | undefined;

/** The entry of a stream item (its only field is `entry`), parsed; undefined when it is not JSON. */
function parseEntry(json: string | undefined): StoredEntry {
  try {
    return JSON.parse(json ?? '') as StoredEntry;
  } catch {
    return undefined;
  }
}

/**
 * Copies the audit stream to the append-only JSONL file `file`, one entry per line in sequence
 * order, fsynced after each batch. It resumes after the last entry already in the file (read from its
 * end at start) and checks that this entry is the one Redis holds; if the file is ahead of Redis or
 * disagrees with it (Redis lost data or was reset), or Redis' next entry does not link to the file's
 * last, it logs an error and writes nothing more until restarted: history is never rewritten.
 * One exporter per file and host writes (a Redis lock on hostname + absolute path, renewed while
 * held); the others stand by and take over when the holder stops or dies. Creates the directory
 * (mode 0700) and the file (mode 0600) when missing.
 *
 * The writer reports how far its file goes (`<prefix>:audit:exporters`, on every write and lock
 * renewal): the stream is trimmed only behind every file (`trimAuditStream`). A file that fell
 * behind a trim (or a new file once the stream no longer starts at seq 1) cannot be continued from
 * Redis: the exporter says so and writes nothing; start such a file from a copy of a complete one.
 */
export function startAuditExport(options: StartAuditExportOptions): AuditExport {
  const { redis, logger } = options;
  const file = resolve(options.file);
  const keys = createRedisKeys(options.prefix);
  const host = options.hostname ?? osHostname();
  const lockKey = keys.auditExportLock(host, file);
  const now = options.now ?? Date.now;
  const ttl = Math.round(options.lockTtlMs ?? 15_000);
  const blockMs = Math.max(10, Math.min(options.blockMs ?? 1000, Math.floor(ttl / 3)));
  const token = randomUUID();
  const log = logger.child({ file });
  // XREAD BLOCK holds its connection: a private one, which stop() can also cut to end a wait at once.
  const reader = duplicateRedis(redis, { enableAutoPipelining: false, enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: blockMs + 10_000 });
  reader.on('error', (error: Error) => log.debug({ err: error }, 'audit export connection error'));
  const replicaWait = options.replicas && createReplicaWait([reader], keys.replicaBarrier, options.replicas);
  const stopping = new AbortController();
  const pause = (ms: number) => sleep(ms, undefined, { signal: stopping.signal }).catch(() => undefined);
  let held = false;
  let renewedAt = 0;
  let state: FileState | undefined;
  let refused = false;

  const dropState = async () => {
    const handle = state?.handle;
    state = undefined;
    await handle?.close().catch(() => undefined);
  };

  // Advisory: a report that fails only holds the trimming back until the next one.
  const reportProgress = async (seq: number) => {
    await redis.hset(keys.auditExporters, `${host}:${file}`, JSON.stringify({ seq, at: now() })).catch((error: unknown) => log.debug({ err: error }, 'could not report the audit export progress'));
  };

  const refuse = async (reason: string) => {
    refused = true;
    await dropState();
    log.error({ reason }, `audit export stopped, nothing more is written to this file until restart: ${reason}`);
  };

  const claim = async (): Promise<boolean> => {
    if (held && Date.now() - renewedAt < ttl / 3) return true;
    const result = await claimScript(redis, [lockKey], [token, ttl]);
    if (result === 0) {
      if (held) log.warn('audit export lock lost to another process: standing by');
      held = false;
      await dropState();
      return false;
    }
    if (result === 2) {
      // Taken afresh: whoever held it before may have written, so the file is read again.
      await dropState();
      if (!held) log.info('exporting the audit log to this file');
      held = true;
    }
    renewedAt = Date.now();
    if (state) await reportProgress(state.seq);
    return true;
  };

  // The file's last entry must be the one Redis holds under its seq: writing on after anything else would fork history.
  const openAndSync = async (): Promise<FileState | undefined> => {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const handle = await open(file, 'a', 0o600);
    const close = async (reason?: string) => {
      await handle.close();
      if (reason) await refuse(reason);
      return undefined;
    };
    try {
      const tail = await readLastAuditLine(file);
      if (!tail.complete) return await close('the file ends with an incomplete line (a crash during a write?); move the file aside or remove that line, then restart');
      const last = tail.text === undefined ? { seq: 0, hash: GENESIS_HASH } : parseEntry(tail.text);
      if (!last || !Number.isSafeInteger(last.seq) || typeof last.hash !== 'string') {
        return await close('the last line of the file is not an audit entry; check the file with `warden audit-log verify`');
      }
      const seq = last.seq as number;
      const [first] = await reader.xrange(keys.auditStream, '-', '+', 'COUNT', 1);
      const firstSeq = first ? Number(first[0].split('-')[0]) : 1;
      // The file's last entry must still be in Redis to be checked; a new file needs the chain from seq 1.
      if (firstSeq > Math.max(seq, 1)) {
        return await close(
          `Redis holds the chain only from seq ${firstSeq} on (trimmed after a checkpoint) but this file ends at seq ${seq}: ` +
            'it cannot be continued from Redis; replace it with a copy of a complete audit file (another host\'s), then restart',
        );
      }
      if (seq > 0) {
        const [stored] = await reader.xrange(keys.auditStream, `${seq}-0`, `${seq}-0`);
        if (parseEntry(stored?.[1][1])?.hash !== last.hash) {
          const headSeq = Number((await reader.hget(keys.auditHead, 'seq')) ?? 0);
          return await close(
            headSeq < seq
              ? `the file is ahead of Redis (file at seq ${seq}, Redis head at seq ${headSeq}): Redis lost audit entries`
              : `the file and Redis disagree at seq ${seq}: the Redis chain was reset or altered`,
          );
        }
        log.info({ seq }, 'resuming the audit export after the last entry in the file');
      }
      await reportProgress(seq);
      return { handle, seq, hash: last.hash, size: tail.size };
    } catch (error) {
      await close();
      throw error;
    }
  };

  const copyBatch = async (current: FileState) => {
    const ticket = replicaWait?.begin();
    const reply = (await reader.xread('COUNT', 500, 'BLOCK', blockMs, 'STREAMS', keys.auditStream, `${current.seq}-0`)) as XreadReply;
    const items = reply?.[0]?.[1] ?? [];
    const lines: string[] = [];
    let { seq, hash } = current;
    let broken: string | undefined;
    for (const [id, fields] of items) {
      const json = fields[1] ?? '';
      const entry = parseEntry(json);
      if (entry?.seq !== seq + 1 || entry.prev !== hash || id !== `${seq + 1}-0` || typeof entry.hash !== 'string') {
        broken = `Redis entry ${id} does not follow seq ${seq} of the file: the Redis chain was reset or altered`;
        break;
      }
      lines.push(json);
      seq += 1;
      hash = entry.hash;
    }
    if (lines.length > 0) {
      // An entry a failover then loses would fork the file from the chain in Redis for good.
      if (replicaWait) await replicaWait.barrier(ticket);
      // Another writer (a lock lost during a long pause) would have changed the size: never interleave with it.
      if ((await current.handle.stat()).size !== current.size) {
        log.warn('the audit file changed under this exporter: reading it again');
        await dropState();
        return;
      }
      const text = `${lines.join('\n')}\n`;
      await current.handle.write(text);
      await current.handle.datasync();
      Object.assign(current, { seq, hash, size: current.size + Buffer.byteLength(text) });
      await reportProgress(seq);
    }
    if (broken) await refuse(broken);
  };

  const run = async () => {
    while (!stopping.signal.aborted) {
      try {
        if (!(await claim()) || refused) {
          await pause(ttl / 3);
        } else {
          state ??= await openAndSync();
          if (state) await copyBatch(state);
        }
      } catch (error) {
        if (stopping.signal.aborted) break;
        log.warn({ err: error }, 'audit export failed; retrying');
        await dropState();
        await pause(1000);
      }
    }
    await dropState();
  };

  const running = run();
  let stopped: Promise<void> | undefined;
  return {
    get refused() {
      return refused;
    },
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        reader.disconnect();
        await running;
        if (held) await releaseScript(redis, [lockKey], [token]).catch(() => undefined);
      })();
      return stopped;
    },
  };
}
