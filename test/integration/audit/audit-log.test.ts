import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditLog } from '../../../src/audit/audit-log.js';
import { createAuditLog } from '../../../src/audit/create-audit-log.js';
import { startAuditExport, type AuditExport } from '../../../src/audit/export-audit-log.js';
import { readAuditFile } from '../../../src/audit/read-audit-file.js';
import { verifyAuditChain } from '../../../src/audit/verify-audit-chain.js';
import { isWardenError } from '../../../src/errors/warden-error.js';
import { connectRedis } from '../../../src/redis/connect-redis.js';
import type { RedisClient } from '../../../src/redis/redis-client.js';
import { findFreePort } from '../../../src/redis/find-free-port.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { waitUntilReady } from '../../../src/redis/wait-until-ready.js';
import { connectTestRedis, deleteKeys, randomSecret, TEST_REDIS_URL, uniquePrefix } from '../../support/test-redis.js';

const KEY = randomSecret(40);
let inspect: Redis;
const prefixes: string[] = [];
const connections: RedisClient[] = [];
const exports: AuditExport[] = [];
const dirs: string[] = [];

beforeAll(() => {
  inspect = connectTestRedis();
});
afterEach(async () => {
  await Promise.all(exports.splice(0).map((e) => e.stop()));
  for (const redis of connections.splice(0)) redis.disconnect();
  for (const prefix of prefixes.splice(0)) await deleteKeys(inspect, prefix);
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
afterAll(() => inspect.disconnect());

function newPrefix(): string {
  const prefix = uniquePrefix('audit');
  prefixes.push(prefix);
  return prefix;
}

/** A producer connection like a Warden process's: auto-pipelined, fail-fast. */
async function producer(url = TEST_REDIS_URL): Promise<RedisClient> {
  const redis = connectRedis({ kind: 'url', url }, 'producer', { lazyConnect: true });
  redis.on('error', () => undefined);
  connections.push(redis);
  if (url === TEST_REDIS_URL) await waitUntilReady(redis);
  return redis;
}

async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'warden-audit-'));
  dirs.push(dir);
  return join(dir, 'data', 'audit.jsonl');
}

function recordingLogger() {
  const lines: { level: number; msg: string; reason?: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
  return { logger, lines };
}

async function readStream(prefix: string): Promise<{ ids: string[]; entries: AuditEntry[] }> {
  const items = await inspect.xrange(createRedisKeys(prefix).auditStream, '-', '+');
  return { ids: items.map(([id]) => id), entries: items.map(([, fields]) => JSON.parse(fields[1]!) as AuditEntry) };
}

async function readHead(prefix: string) {
  const head = await inspect.hgetall(createRedisKeys(prefix).auditHead);
  return { seq: Number(head.seq), hash: head.hash! };
}

async function appendMany(audit: AuditLog, count: number, actor: string) {
  return Promise.all(Array.from({ length: count }, (_, i) => audit.append({ type: 'job.started', actor, subject: `job-${i}`, detail: { i } })));
}

async function fileLines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean);
}

async function waitForLines(file: string, count: number, timeoutMs = 15_000): Promise<string[]> {
  await expect.poll(async () => (await fileLines(file)).length, { timeout: timeoutMs, interval: 25, message: `${file} never held ${count} lines` }).toBeGreaterThanOrEqual(count);
  return fileLines(file);
}

/** The seqs of the file's entries, in file order. */
async function fileSeqs(file: string): Promise<number[]> {
  return (await fileLines(file)).map((l) => (JSON.parse(l) as AuditEntry).seq);
}

/** Resolves once the file holds the entry `seq`: the exporter has copied everything appended before it. */
async function waitForSeq(file: string, seq: number): Promise<void> {
  await expect.poll(async () => (await fileSeqs(file)).includes(seq), { timeout: 15_000, interval: 25, message: `${file} never held seq ${seq}` }).toBe(true);
}

/** Resolves once a level-50 line was logged, and returns them all. */
async function waitForErrors(lines: { level: number; msg: string; reason?: string }[]) {
  await expect.poll(() => lines.some((l) => l.level === 50), { timeout: 15_000, interval: 10, message: 'the exporter logged no error' }).toBe(true);
  return lines.filter((l) => l.level === 50);
}

/**
 * Resolves once the exporter of `file` has renewed its lock, i.e. started another round of its
 * loop, after this call: the lock's expiry is removed, and the exporter's next renewal sets it again.
 */
async function waitForLockRenewal(prefix: string, file: string): Promise<void> {
  const key = createRedisKeys(prefix).auditExportLock(hostname(), resolve(file));
  expect(await inspect.persist(key)).toBe(1);
  await expect.poll(() => inspect.pttl(key), { timeout: 15_000, interval: 10, message: 'the exporter never renewed its lock' }).toBeGreaterThanOrEqual(0);
}

describe('createAuditLog', () => {
  it('builds one gapless chain from two processes appending at once', async () => {
    const prefix = newPrefix();
    const a = createAuditLog({ redis: await producer(), prefix, hmacKey: KEY });
    const b = createAuditLog({ redis: await producer(), prefix, hmacKey: KEY });
    const [fromA, fromB] = await Promise.all([appendMany(a, 60, 'slack:U0A'), appendMany(b, 60, 'slack:U0B')]);

    const seqs = [...fromA, ...fromB].map((e) => e.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    // Within one process, appends keep their call order.
    for (const mine of [fromA, fromB]) expect(mine.map((e) => e.seq)).toEqual([...mine.map((e) => e.seq)].sort((x, y) => x - y));

    const { ids, entries } = await readStream(prefix);
    expect(ids).toEqual(entries.map((e) => `${e.seq}-0`));
    const head = await readHead(prefix);
    expect(verifyAuditChain(entries, { hmacKey: KEY, head })).toEqual({ ok: true, count: 120, lastSeq: 120, lastHash: head.hash });
    expect(entries).toEqual(expect.arrayContaining(fromA));
  });

  it('writes appends that queue up together, each with its own seq and hash', async () => {
    const prefix = newPrefix();
    const redis = await producer();
    let scriptCalls = 0;
    const evalsha = redis.evalsha.bind(redis);
    redis.evalsha = ((...args: Parameters<typeof evalsha>) => {
      scriptCalls += 1;
      return evalsha(...args);
    }) as typeof redis.evalsha;
    const entries = await appendMany(createAuditLog({ redis, prefix, hmacKey: KEY }), 250, 'warden');
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    // The first goes alone; the 249 that queued behind it go in batches of at most 100.
    expect(scriptCalls).toBeLessThanOrEqual(5);
    const head = await readHead(prefix);
    expect(verifyAuditChain((await readStream(prefix)).entries, { hmacKey: KEY, head })).toEqual({ ok: true, count: 250, lastSeq: 250, lastHash: head.hash });
  });

  it('continues an existing chain from a new process', async () => {
    const prefix = newPrefix();
    await appendMany(createAuditLog({ redis: await producer(), prefix }), 3, 'warden');
    const later = await createAuditLog({ redis: await producer(), prefix, now: () => Date.UTC(2026, 5, 1) }).append({ type: 'config.loaded', actor: 'warden' });
    expect(later).toMatchObject({ seq: 4, at: '2026-06-01T00:00:00.000Z', type: 'config.loaded', actor: 'warden' });
    expect(later).not.toHaveProperty('detail');
    expect(verifyAuditChain((await readStream(prefix)).entries, { head: await readHead(prefix) }).ok).toBe(true);
  });

  it('stores detail as given, but never a credential', async () => {
    const prefix = newPrefix();
    const audit = createAuditLog({ redis: await producer(), prefix, secrets: ['known-secret-value-123'] });
    const detail = { reason: 'signature mismatch', path: '/slack/events', count: 3, ok: false, nested: { list: [1, 'two', null] }, text: 'é 漢字 "quoted"' };
    const plain = await audit.append({ type: 'inbound.rejected', actor: 'slack', outcome: 'denied', detail });
    const leaky = await audit.append({
      type: 'inbound.rejected',
      actor: 'slack',
      subject: 'token xoxb-1234-5678-abcdefgh',
      detail: { signature: 'v0=abc123', note: 'sent Bearer abcdefgh12345678 and known-secret-value-123', tokenCount: 2 },
    });
    const { entries } = await readStream(prefix);
    expect(entries[0]).toEqual(plain);
    expect(entries[0]!.detail).toEqual(detail);
    expect(entries[1]).toEqual(leaky);
    expect(JSON.stringify(entries[1])).not.toMatch(/xoxb-1234|v0=abc123|abcdefgh12345678|known-secret-value-123/);
    expect(entries[1]!.detail).toEqual({ signature: '[redacted]', note: 'sent Bearer [redacted] and [redacted]', tokenCount: 2 });
    expect(verifyAuditChain(entries).ok).toBe(true);
  });

  it('fails with audit_unavailable when Redis is down', async () => {
    const audit = createAuditLog({ redis: await producer(`redis://127.0.0.1:${await findFreePort()}`), prefix: newPrefix() });
    const error = await audit.append({ type: 'config.loaded', actor: 'warden' }).catch((e: unknown) => e);
    expect(isWardenError(error, 'audit_unavailable')).toBe(true);
  });
});

describe('startAuditExport', () => {
  it('writes the stream to a private JSONL file that verifies, and resumes after a restart without duplicates', async () => {
    const prefix = newPrefix();
    const file = await tempFile();
    const audit = createAuditLog({ redis: await producer(), prefix, hmacKey: KEY });
    await appendMany(audit, 5, 'warden');
    const { logger } = recordingLogger();
    const first = startAuditExport({ redis: await producer(), prefix, file, logger, blockMs: 100 });
    exports.push(first);
    expect(await waitForLines(file, 5)).toHaveLength(5);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(file))).mode & 0o777).toBe(0o700);
    await appendMany(audit, 3, 'warden');
    expect(await waitForLines(file, 8)).toHaveLength(8);
    expect(first.refused).toBe(false);
    await first.stop();

    await appendMany(audit, 4, 'warden');
    exports.push(startAuditExport({ redis: await producer(), prefix, file, logger, blockMs: 100 }));
    await waitForSeq(file, 12);
    // One more entry, appended once the restarted exporter has caught up: once it is in the file,
    // anything the restart could have copied twice would be in the file before it.
    await appendMany(audit, 1, 'warden');
    await waitForSeq(file, 13);
    const lines = await fileLines(file);
    expect(lines.map((l) => (JSON.parse(l) as AuditEntry).seq)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    const { entries } = await readAuditFile(file);
    expect(verifyAuditChain(entries, { hmacKey: KEY, head: await readHead(prefix) })).toMatchObject({ ok: true, count: 13 });
    // Byte for byte what the stream holds.
    const stream = await inspect.xrange(createRedisKeys(prefix).auditStream, '-', '+');
    expect(lines).toEqual(stream.map(([, fields]) => fields[1]));
  });

  it('refuses to write when the file is ahead of Redis', async () => {
    const file = await tempFile();
    const source = newPrefix();
    await appendMany(createAuditLog({ redis: await producer(), prefix: source }), 6, 'warden');
    const { logger } = recordingLogger();
    exports.push(startAuditExport({ redis: await producer(), prefix: source, file, logger, blockMs: 100 }));
    await waitForLines(file, 6);
    await exports.pop()!.stop();
    const before = await readFile(file, 'utf8');

    // Redis "lost" its data: a fresh chain at the same place, shorter than the file.
    await deleteKeys(inspect, source);
    await appendMany(createAuditLog({ redis: await producer(), prefix: source }), 2, 'warden');
    const recorder = recordingLogger();
    // A short lock lifetime makes the exporter go round its loop (and renew the lock) every 300 ms.
    exports.push(startAuditExport({ redis: await producer(), prefix: source, file, logger: recorder.logger, blockMs: 100, lockTtlMs: 900 }));
    await waitForErrors(recorder.lines);
    // Redis' new chain now reaches past the file: still nothing may be written.
    await appendMany(createAuditLog({ redis: await producer(), prefix: source }), 6, 'warden');
    // Two renewals after the append: at least one whole round of the loop saw the longer chain.
    await waitForLockRenewal(source, file);
    await waitForLockRenewal(source, file);
    expect(await readFile(file, 'utf8')).toBe(before);
    const errors = recorder.lines.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.reason).toBe('the file is ahead of Redis (file at seq 6, Redis head at seq 2): Redis lost audit entries');
    expect(exports.at(-1)!.refused).toBe(true);
  });

  it('stops writing when Redis is reset under a running exporter and its new chain passes the file', async () => {
    const prefix = newPrefix();
    const file = await tempFile();
    await appendMany(createAuditLog({ redis: await producer(), prefix }), 3, 'warden');
    const recorder = recordingLogger();
    // The lock (deleted with the rest of the prefix below) is not renewed during the test, however
    // slow the machine: the exporter keeps reading the stream instead of opening the file afresh.
    exports.push(startAuditExport({ redis: await producer(), prefix, file, logger: recorder.logger, blockMs: 50, lockTtlMs: 60_000 }));
    await waitForLines(file, 3);
    const before = await readFile(file, 'utf8');
    await deleteKeys(inspect, prefix);
    await appendMany(createAuditLog({ redis: await producer(), prefix }), 5, 'warden');
    // The error is logged once the batch holding entry 4 was handled (a write would have come first).
    expect(await waitForErrors(recorder.lines)).toHaveLength(1);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(recorder.lines.find((l) => l.level === 50)?.reason).toBe('Redis entry 4-0 does not follow seq 3 of the file: the Redis chain was reset or altered');
  });

  it('refuses to write after a torn last line', async () => {
    const prefix = newPrefix();
    const file = await tempFile();
    await appendMany(createAuditLog({ redis: await producer(), prefix }), 2, 'warden');
    const [first] = (await inspect.xrange(createRedisKeys(prefix).auditStream, '-', '+')).map(([, f]) => f[1]!);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${first}\n${'{"seq":2,"at":"2026'}`);
    const recorder = recordingLogger();
    exports.push(startAuditExport({ redis: await producer(), prefix, file, logger: recorder.logger, blockMs: 50 }));
    // The file is checked before anything is written to it.
    await waitForErrors(recorder.lines);
    expect(await readFile(file, 'utf8')).toBe(`${first}\n{"seq":2,"at":"2026`);
    expect(recorder.lines.find((l) => l.level === 50)?.reason).toContain('the file ends with an incomplete line');
  });

  it('refuses to write when the file and Redis disagree at the same seq', async () => {
    const file = await tempFile();
    const prefix = newPrefix();
    await appendMany(createAuditLog({ redis: await producer(), prefix }), 3, 'warden');
    const other = newPrefix();
    await appendMany(createAuditLog({ redis: await producer(), prefix: other }), 3, 'slack:U0OTHER');
    const otherLines = (await inspect.xrange(createRedisKeys(other).auditStream, '-', '+')).map(([, f]) => f[1]);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${otherLines.join('\n')}\n`, { mode: 0o600 });
    const recorder = recordingLogger();
    exports.push(startAuditExport({ redis: await producer(), prefix, file, logger: recorder.logger, blockMs: 100 }));
    // The file is checked before anything is written to it.
    await waitForErrors(recorder.lines);
    expect(await fileLines(file)).toEqual(otherLines);
    expect(recorder.lines.find((l) => l.level === 50)?.reason).toBe('the file and Redis disagree at seq 3: the Redis chain was reset or altered');
  });

  it('lets only one exporter per host write a file; the other takes over when it stops', async () => {
    const prefix = newPrefix();
    const file = await tempFile();
    const audit = createAuditLog({ redis: await producer(), prefix });
    const one = recordingLogger();
    const two = recordingLogger();
    // The lock outlives its holder by 3 s: a busy machine can stall the holder for longer than a
    // few hundred ms, which would hand the lock over while it still holds it.
    const a = startAuditExport({ redis: await producer(), prefix, file, logger: one.logger, blockMs: 50, lockTtlMs: 3_000 });
    const b = startAuditExport({ redis: await producer(), prefix, file, logger: two.logger, blockMs: 50, lockTtlMs: 3_000 });
    exports.push(a, b);
    for (let round = 0; round < 5; round++) {
      await appendMany(audit, 10, 'warden');
      // Appends spread over several reads of the exporter.
      await new Promise((r) => setTimeout(r, 30));
    }
    await waitForSeq(file, 50);
    const writers = [one, two].filter((r) => r.lines.some((l) => l.msg === 'exporting the audit log to this file'));
    expect(writers).toHaveLength(1);

    const active = writers[0] === one ? a : b;
    await active.stop();
    await appendMany(audit, 5, 'warden');
    await waitForSeq(file, 55);
    // One more entry once the new writer has caught up: whatever it could have copied twice is before it.
    await appendMany(audit, 1, 'warden');
    await waitForSeq(file, 56);
    expect(await fileSeqs(file)).toEqual(Array.from({ length: 56 }, (_, i) => i + 1));
    const { entries } = await readAuditFile(file);
    expect(verifyAuditChain(entries, { head: await readHead(prefix) }).ok).toBe(true);
  });
});
