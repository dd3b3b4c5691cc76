import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/audit/audit-log.js';
import type { AuditCheckpoint } from '../../../src/audit/audit-checkpoint.js';
import { createAuditLog } from '../../../src/audit/create-audit-log.js';
import { startAuditExport, type AuditExport } from '../../../src/audit/export-audit-log.js';
import { takeAuditCheckpoint, type TakeAuditCheckpointOptions } from '../../../src/audit/take-audit-checkpoint.js';
import { isWardenError, WardenError } from '../../../src/errors/warden-error.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { connectTestRedis, deleteKeys, randomSecret, uniquePrefix } from '../../support/test-redis.js';

const KEY = randomSecret(40);
let redis: Redis;
let dir: string;
const prefixes: string[] = [];
const exports: AuditExport[] = [];

beforeAll(async () => {
  redis = connectTestRedis();
  dir = await mkdtemp(join(tmpdir(), 'warden-checkpoint-'));
});
afterEach(async () => {
  await Promise.all(exports.splice(0).map((e) => e.stop()));
  for (const prefix of prefixes.splice(0)) await deleteKeys(redis, prefix);
});
afterAll(async () => {
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

function recordingLogger() {
  const lines: { level: number; msg: string; reason?: string; exporter?: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
  return { logger, lines };
}

async function fileSeqs(file: string): Promise<number[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as AuditEntry).seq);
}

/** How far the exporters say their files go (trimming waits for this, not for the file's bytes). */
async function reportedSeq(prefix: string): Promise<number> {
  const reports = Object.values(await redis.hgetall(createRedisKeys(prefix).auditExporters)).map((value) => (JSON.parse(value) as { seq: number }).seq);
  return Math.max(0, ...reports);
}

async function firstStreamSeq(prefix: string): Promise<number | undefined> {
  const [first] = await redis.xrange(createRedisKeys(prefix).auditStream, '-', '+', 'COUNT', 1);
  return first ? Number(first[0].split('-')[0]) : undefined;
}

/** A chain of `count` entries and an exporter writing it to a file, once the file holds them. */
async function chainWithFile(name: string, count: number) {
  const prefix = uniquePrefix(name);
  prefixes.push(prefix);
  const keys = createRedisKeys(prefix);
  const audit = createAuditLog({ redis, prefix, hmacKey: KEY });
  for (let i = 0; i < count; i++) await audit.append({ type: 'job.started', actor: 'warden', subject: `job-${i}` });
  const file = join(dir, `${prefix}.jsonl`);
  const recorder = recordingLogger();
  exports.push(startAuditExport({ redis, prefix, file, logger: recorder.logger, blockMs: 50, hostname: 'host-a' }));
  await expect.poll(() => reportedSeq(prefix), { timeout: 10_000 }).toBe(count);
  expect(await fileSeqs(file)).toHaveLength(count);
  const posted: AuditCheckpoint[] = [];
  const options: TakeAuditCheckpointOptions = { redis, keys, audit, hmacKey: KEY, now: Date.now, logger: recorder.logger, post: async (checkpoint) => void posted.push(checkpoint) };
  return { prefix, keys, audit, file, recorder, posted, options };
}

describe('takeAuditCheckpoint', () => {
  it('records a signed checkpoint in the chain and in Redis, and trims the stream behind it once the file holds it', async () => {
    const c = await chainWithFile('checkpoint-trim', 10);
    const head = await redis.hgetall(c.keys.auditHead);
    const said = await takeAuditCheckpoint(c.options, 'scheduled');
    expect(said).toMatch(/^checkpoint at seq 10; the stream starts at seq 10 \(9 entries removed\)$/);
    expect(c.posted).toHaveLength(1);
    const checkpoint = c.posted[0]!;
    expect(checkpoint).toEqual({ seq: 10, hash: head.hash, at: expect.any(String), mac: expect.any(String) });
    const canonical = `{"at":"${checkpoint.at}","hash":"${checkpoint.hash}","seq":10}`;
    expect(checkpoint.mac).toBe(createHmac('sha256', KEY).update(canonical).digest('hex'));
    expect(await redis.hgetall(c.keys.auditCheckpoint)).toEqual({ seq: '10', hash: head.hash, at: checkpoint.at, mac: checkpoint.mac, announced: '1', posted: '1' });
    // The checkpoint entry (seq 11) reaches the file; the stream keeps seq 10 on, so the exporter can check where its file ends.
    await expect.poll(() => fileSeqs(c.file), { timeout: 10_000 }).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(JSON.parse((await readFile(c.file, 'utf8')).split('\n')[10]!)).toMatchObject({ seq: 11, type: 'audit.checkpoint', detail: { ...checkpoint, reason: 'scheduled' } });
    expect(await firstStreamSeq(c.prefix)).toBe(10);

    // Nothing new since: no second checkpoint.
    expect(await takeAuditCheckpoint(c.options, 'scheduled')).toMatch(/^nothing appended since the checkpoint at seq 10; the stream starts at seq 10/);
    expect(c.posted).toHaveLength(1);

    // The exporter goes on after the trim, and resumes after a restart.
    await c.audit.append({ type: 'job.started', actor: 'warden' });
    await expect.poll(async () => (await fileSeqs(c.file)).at(-1), { timeout: 10_000 }).toBe(12);
    await exports.pop()!.stop();
    await c.audit.append({ type: 'job.started', actor: 'warden' });
    const restarted = recordingLogger();
    exports.push(startAuditExport({ redis, prefix: c.prefix, file: c.file, logger: restarted.logger, blockMs: 50, hostname: 'host-a' }));
    await expect.poll(() => fileSeqs(c.file), { timeout: 10_000 }).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(restarted.lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('does not trim before the checkpoint is posted; the next run posts it, then trims', async () => {
    const c = await chainWithFile('checkpoint-post-fails', 6);
    const down = { ...c.options, post: async () => Promise.reject(new WardenError('checkpoint_post_failed', 'HTTP 503', { retryable: true })) };
    const error = await takeAuditCheckpoint(down, 'scheduled').catch((e: unknown) => e);
    expect(isWardenError(error, 'checkpoint_post_failed')).toBe(true);
    expect(await redis.hget(c.keys.auditCheckpoint, 'posted')).toBeNull();
    expect(await firstStreamSeq(c.prefix)).toBe(1);
    // The lock was released: the next run is not refused.
    await expect.poll(() => reportedSeq(c.prefix), { timeout: 10_000 }).toBe(7);
    expect(await takeAuditCheckpoint(c.options, 'scheduled')).toMatch(/^nothing appended since the checkpoint at seq 6; the stream starts at seq 6/);
    expect(c.posted.map((p) => p.seq)).toEqual([6]);
    expect(await redis.hget(c.keys.auditCheckpoint, 'posted')).toBe('1');
  });

  it('trims only behind every audit file; a file silent for a week is forgotten; a file behind the trim is refused with how to fix it', async () => {
    const c = await chainWithFile('checkpoint-files', 8);
    const now = Date.now();
    // Host B's file reached seq 3 a minute ago; host C's stopped at seq 2 eight days ago.
    await redis.hset(c.keys.auditExporters, 'host-b:/var/lib/warden/audit.jsonl', JSON.stringify({ seq: 3, at: now - 60_000 }));
    await redis.hset(c.keys.auditExporters, 'host-c:/var/lib/warden/audit.jsonl', JSON.stringify({ seq: 2, at: now - 8 * 86_400_000 }));
    expect(await takeAuditCheckpoint(c.options, 'scheduled')).toMatch(/^checkpoint at seq 8; the stream starts at seq 3 \(2 entries removed\)$/);
    expect(Object.keys(await redis.hgetall(c.keys.auditExporters)).sort()).toEqual([expect.stringMatching(/^host-a:/), 'host-b:/var/lib/warden/audit.jsonl']);
    expect(c.recorder.lines.find((l) => l.level === 40)?.exporter).toBe('host-c:/var/lib/warden/audit.jsonl');

    // A new file elsewhere cannot start from a stream that no longer begins at seq 1.
    const recorder = recordingLogger();
    const fresh = join(dir, `${c.prefix}-fresh.jsonl`);
    exports.push(startAuditExport({ redis, prefix: c.prefix, file: fresh, logger: recorder.logger, blockMs: 50, hostname: 'host-d' }));
    await expect.poll(() => recorder.lines.find((l) => l.level === 50)?.reason, { timeout: 10_000 }).toBe(
      "Redis holds the chain only from seq 3 on (trimmed after a checkpoint) but this file ends at seq 0: it cannot be continued from Redis; replace it with a copy of a complete audit file (another host's), then restart",
    );
    expect(await fileSeqs(fresh)).toEqual([]);
  });

  it('takes no checkpoint without a chain, and one process at a time', async () => {
    const prefix = uniquePrefix('checkpoint-empty');
    prefixes.push(prefix);
    const keys = createRedisKeys(prefix);
    const options: TakeAuditCheckpointOptions = { redis, keys, audit: createAuditLog({ redis, prefix }), now: Date.now, logger: pino({ level: 'silent' }) };
    expect(await takeAuditCheckpoint(options, 'shutdown')).toBe('no audit chain yet');
    await redis.set(keys.auditCheckpointLock, 'someone', 'PX', 10_000);
    expect(await takeAuditCheckpoint(options, 'shutdown')).toBe('another process is taking a checkpoint');
  });
});
