import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../src/audit/create-audit-log.js';
import { takeAuditCheckpoint } from '../../../src/audit/take-audit-checkpoint.js';
import { runCli, type CliIo } from '../../../src/cli/main.js';
import { findFreePort } from '../../../src/redis/find-free-port.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { connectTestRedis, deleteKeys, randomSecret, TEST_REDIS_URL, uniquePrefix } from '../../support/test-redis.js';

const AUDIT_KEY = randomSecret(48);
const WEBHOOK_TOKEN = randomSecret(40);
const prefix = uniquePrefix('audit-cli');
let redis: Redis;
let dir: string;
let intactFile: string;
let lines: string[];
let env: Record<string, string | undefined>;

async function run(argv: string[], runEnv = env) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { env: runEnv, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** A copy of the intact file with `change` applied to its lines; returns its path. */
async function copyWith(name: string, change: (lines: string[]) => string[], ending = '\n'): Promise<string> {
  const file = join(dir, `${name}.jsonl`);
  await writeFile(file, change([...lines]).join('\n') + ending);
  return file;
}

/** The environment of a CLI run whose config file names `chainPrefix` and `file`. */
async function configFor(chainPrefix: string, file = intactFile): Promise<Record<string, string | undefined>> {
  const config = join(dir, `${chainPrefix}.config.yaml`);
  await writeFile(
    config,
    ['alertmanager:', '  token: ${WARDEN_WEBHOOK_TOKEN}', 'redis:', `  prefix: ${chainPrefix}`, 'audit:', `  file: ${file}`, '  hmacKey: ${WARDEN_AUDIT_KEY}', ''].join('\n'),
  );
  return { WARDEN_CONFIG: config, WARDEN_WEBHOOK_TOKEN: WEBHOOK_TOKEN, WARDEN_AUDIT_KEY: AUDIT_KEY, REDIS_URL: TEST_REDIS_URL };
}

beforeAll(async () => {
  redis = connectTestRedis();
  dir = await mkdtemp(join(tmpdir(), 'warden-audit-cli-'));
  intactFile = join(dir, 'audit.jsonl');
  env = await configFor(prefix);

  const audit = createAuditLog({ redis, prefix, hmacKey: AUDIT_KEY });
  await audit.append({ type: 'config.loaded', actor: 'warden', outcome: 'ok' });
  await audit.append({ type: 'inbound.rejected', actor: 'slack', outcome: 'denied', detail: { reason: 'stale timestamp' } });
  await audit.append({ type: 'access.denied', actor: 'slack:U0OPS1', subject: '/incident ack', outcome: 'denied', detail: { missing: 'incident.respond' } });
  await audit.append({ type: 'incident.acknowledged', actor: 'slack:U0OPS2', subject: 'inc-1', outcome: 'ok' });
  await audit.append({ type: 'job.started', actor: 'warden', subject: 'diagnose:inc-1' });
  await audit.append({ type: 'job.completed', actor: 'warden', subject: 'diagnose:inc-1', outcome: 'ok', detail: { probes: 2 } });
  lines = (await redis.xrange(createRedisKeys(prefix).auditStream, '-', '+')).map(([, fields]) => fields[1]!);
  await writeFile(intactFile, `${lines.join('\n')}\n`);
});

afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

describe('warden audit-log verify', () => {
  it('reports an intact file (audit.file from the config) and exits 0, without printing the key', async () => {
    const { code, stdout, stderr } = await run(['audit-log', 'verify']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(`ok: 6 entries, chain intact (last seq 6)\n  file: ${intactFile}\n`);
    expect(stdout).not.toContain(AUDIT_KEY);
  });

  it('names the seq of an edited entry', async () => {
    const file = await copyWith('edited', (l) => {
      l[2] = l[2]!.replace('incident.respond', 'incident.view');
      return l;
    });
    const { code, stdout } = await run(['audit-log', 'verify', '--file', file]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAILED at seq 3: seq 3 was altered: its stored hash does not match its content/);
  });

  it('names the seq of a deleted line', async () => {
    const file = await copyWith('deleted', (l) => l.filter((_, i) => i !== 3));
    const { code, stdout } = await run(['audit-log', 'verify', '--file', file]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAILED at seq 4: seq 4 is missing: line 4 has seq 5 where seq 4 was expected/);
  });

  it('names the first seq of reordered lines', async () => {
    const file = await copyWith('reordered', (l) => [l[0]!, l[2]!, l[1]!, ...l.slice(3)]);
    const { code, stdout } = await run(['audit-log', 'verify', '--file', file]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAILED at seq 2: /);
  });

  it('detects a cut-off tail against the Redis head', async () => {
    const file = await copyWith('truncated', (l) => l.slice(0, 4));
    const { code, stdout } = await run(['audit-log', 'verify', '--file', file]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAILED at seq 5: the chain ends at seq 4 but the Redis head is at seq 6: seq 5–6 are missing/);
  });

  it('does not vouch for a file when Redis is not reachable (exit 3), not even for a cut one', async () => {
    const file = await copyWith('truncated-offline', (l) => l.slice(0, 4));
    const password = randomSecret(24);
    const down = { ...env, REDIS_URL: `redis://:${password}@127.0.0.1:${await findFreePort()}` };
    const { code, stdout } = await run(['audit-log', 'verify', '--file', file], down);
    expect(code).toBe(3);
    expect(stdout).toMatch(/^NOT VERIFIED: Redis was not reachable \(connect ECONNREFUSED 127\.0\.0\.1:\d+\): the file's chain is intact, but without the head a cut-off tail or a rollback cannot be seen/);
    expect(stdout).not.toContain(password);
    const json = await run(['audit-log', 'verify', '--file', file, '--json'], down);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, redis: 'unreachable', exitCode: 3, count: 4 });
  });

  it('--offline checks the file alone and says that this is weaker; a checkpoint from outside still catches the cut', async () => {
    const file = await copyWith('truncated-file-only', (l) => l.slice(0, 4));
    const down = { ...env, REDIS_URL: `redis://127.0.0.1:${await findFreePort()}` };
    const offline = await run(['audit-log', 'verify', '--offline', '--file', file], down);
    expect(offline.code).toBe(0);
    expect(offline.stdout).toMatch(/^ok \(file only\): 4 entries, chain intact \(last seq 4\)\n/);
    expect(offline.stdout).toContain('note: file only (--offline): Redis was not consulted');
    expect(offline.stdout).toContain('not that it is complete');
    const sixth = JSON.parse(lines[5]!) as { hash: string };
    const anchored = await run(['audit-log', 'verify', '--offline', '--file', file, '--checkpoint', `6:${sixth.hash}`], down);
    expect(anchored.code).toBe(1);
    expect(anchored.stdout).toMatch(/^FAILED at seq 5: the file ends at seq 4, before the checkpoint at seq 6 \(--checkpoint 6:[0-9a-f]{12}…\): its tail was cut off/);
  });

  it('fails when Redis holds no head for the chain', async () => {
    const other = uniquePrefix('audit-cli-headless');
    const otherEnv = await configFor(other);
    const headless = await run(['audit-log', 'verify', '--file', intactFile], otherEnv);
    expect(headless.code).toBe(1);
    expect(headless.stdout).toMatch(/^FAILED: Redis holds no audit chain head under the prefix "wt-audit-cli-headless-[0-9a-f]+" \(key .*:audit:head is missing\)/);
    // The head deleted while the stream stays.
    await createAuditLog({ redis, prefix: other, hmacKey: AUDIT_KEY }).append({ type: 'config.loaded', actor: 'warden' });
    await redis.del(createRedisKeys(other).auditHead);
    const deleted = await run(['audit-log', 'verify', '--file', intactFile, '--json'], otherEnv);
    expect(deleted.code).toBe(1);
    expect(JSON.parse(deleted.stdout)).toMatchObject({ ok: false, redis: 'no-chain', reason: expect.stringContaining('while the stream holds 1 entries') });
    await deleteKeys(redis, other);
  });

  it('checks --checkpoint against the file: a wrong hash fails, a malformed one is a usage error', async () => {
    const fifth = JSON.parse(lines[4]!) as { hash: string };
    const good = await run(['audit-log', 'verify', '--checkpoint', `5:${fifth.hash}`]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('  last checkpoint: seq 5 (--checkpoint 5:');
    const wrong = await run(['audit-log', 'verify', '--checkpoint', `5:${'ab'.repeat(32)}`]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/^FAILED at seq 5: seq 5 does not have the hash of the checkpoint \(--checkpoint 5:abababababab…\)/);
    const bad = await run(['audit-log', 'verify', '--checkpoint', '5']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--checkpoint needs <seq>:<hash>');
  });

  it('reports a torn or empty line with its line number', async () => {
    const torn = await copyWith('torn', (l) => [...l, '{"seq":7,"at":"20'], '');
    const tornRun = await run(['audit-log', 'verify', '--file', torn]);
    expect(tornRun.code).toBe(1);
    expect(tornRun.stdout).toMatch(/^FAILED at seq 7: line 7 is not valid JSON/);
    const blank = await copyWith('blank', (l) => [...l.slice(0, 2), '', ...l.slice(2)]);
    expect((await run(['audit-log', 'verify', '--file', blank])).stdout).toMatch(/^FAILED at seq 3: line 3 is empty/);
  });

  it('fails at the first entry without the HMAC key, and says why that may be', async () => {
    const { code, stdout } = await run(['audit-log', 'verify'], { ...env, WARDEN_AUDIT_KEY: undefined });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAILED at seq 1: /);
    expect(stdout).toContain('note: no audit.hmacKey is configured');
  });

  it('prints JSON with --json', async () => {
    const ok = await run(['audit-log', 'verify', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, file: intactFile, count: 6, lastSeq: 6, redis: 'compared', notes: [] });
    const file = await copyWith('deleted-json', (l) => l.filter((_, i) => i !== 1));
    const bad = await run(['audit-log', 'verify', '--json', '--file', file]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, count: 5, firstBadSeq: 2, line: 2 });
  });

  it('works without a config file or webhook token', async () => {
    const { code, stdout } = await run(['audit-log', 'verify', '--file', intactFile], {
      WARDEN_AUDIT_KEY: AUDIT_KEY,
      REDIS_URL: `redis://127.0.0.1:${await findFreePort()}`,
    });
    // Without a config file there is no audit.hmacKey: the keyed chain cannot be checked, and the note says so.
    expect(code).toBe(1);
    expect(stdout).toContain('note: no audit.hmacKey is configured');
    expect(stdout).toContain('note: Redis was not reachable');
  });

  it('refuses bad usage with exit 2 and a missing file with exit 1', async () => {
    expect((await run(['audit-log', 'verify', '--bogus'])).code).toBe(2);
    expect((await run(['audit-log', 'verify', 'extra'])).code).toBe(2);
    expect((await run(['audit-log', 'verify', '--file'])).code).toBe(2);
    const missing = await run(['audit-log', 'verify', '--file', join(dir, 'nope.jsonl')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`warden: cannot read the audit file ${join(dir, 'nope.jsonl')}: file not found\n`);
    expect((await run(['help'])).stdout).toContain('audit-log verify [--file <path>] [--checkpoint <seq>:<hash>]... [--offline] [--json]');
  });
});

describe('warden audit-log verify: checkpoints and rollbacks', () => {
  const chain = uniquePrefix('audit-cli-rollback');
  const keys = createRedisKeys(chain);
  const logger = pino({ level: 'silent' });
  let file: string;
  let chainEnv: Record<string, string | undefined>;
  let all: string[];
  let checkpointHash: string;
  afterAll(() => deleteKeys(redis, chain));

  beforeAll(async () => {
    file = join(dir, 'rollback.jsonl');
    chainEnv = await configFor(chain, file);
    const audit = createAuditLog({ redis, prefix: chain, hmacKey: AUDIT_KEY });
    for (let i = 1; i <= 8; i++) await audit.append({ type: 'incident.phase', actor: 'slack:U0OPS1', subject: `inc-${i}` });
    // Seq 9 records the checkpoint of seq 8; nothing exports a file here, so nothing is trimmed.
    expect(await takeAuditCheckpoint({ redis, keys, audit, hmacKey: AUDIT_KEY, now: Date.now, logger }, 'scheduled')).toContain('checkpoint at seq 8');
    for (let i = 10; i <= 12; i++) await audit.append({ type: 'incident.phase', actor: 'slack:U0OPS1', subject: `inc-${i}` });
    all = (await redis.xrange(keys.auditStream, '-', '+')).map(([, fields]) => fields[1]!);
    checkpointHash = (JSON.parse(all[7]!) as { hash: string }).hash;
    expect(JSON.parse(all[8]!)).toMatchObject({ seq: 9, type: 'audit.checkpoint', detail: { seq: 8, hash: checkpointHash, mac: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    await writeFile(file, `${all.join('\n')}\n`);
  });

  it('names the last checkpoint of an intact log', async () => {
    const { code, stdout } = await run(['audit-log', 'verify'], chainEnv);
    expect(code).toBe(0);
    expect(stdout).toBe(`ok: 12 entries, chain intact (last seq 12)\n  file: ${file}\n  last checkpoint: seq 8 (the checkpoint entry seq 9 (line 9))\n`);
  });

  it('catches a coordinated rollback of Redis and the file with the checkpoint posted outside, or with a checkpoint line left in the file', async () => {
    // Back to seq 6: the last stream entries deleted and the stream id reset, the head moved to seq 6, the checkpoint record removed, the file cut.
    await redis.xdel(keys.auditStream, '7-0', '8-0', '9-0', '10-0', '11-0', '12-0');
    await redis.xsetid(keys.auditStream, '6-0');
    await redis.hset(keys.auditHead, { seq: 6, hash: (JSON.parse(all[5]!) as { hash: string }).hash });
    await redis.del(keys.auditCheckpoint);
    await writeFile(file, `${all.slice(0, 6).join('\n')}\n`);

    // Redis and the file agree with each other: without an outside checkpoint the rollback is invisible.
    expect((await run(['audit-log', 'verify'], chainEnv)).code).toBe(0);
    const outside = await run(['audit-log', 'verify', '--checkpoint', `8:${checkpointHash}`], chainEnv);
    expect(outside.code).toBe(1);
    expect(outside.stdout).toMatch(/^FAILED at seq 7: the file ends at seq 6, before the checkpoint at seq 8 \(--checkpoint 8:[0-9a-f]{12}…\): its tail was cut off, or the log was rolled back/);

    await writeFile(file, `${[...all.slice(0, 6), all[8]!].join('\n')}\n`);
    const leftOver = await run(['audit-log', 'verify'], chainEnv);
    expect(leftOver.code).toBe(1);
    expect(leftOver.stdout).toMatch(/^FAILED at seq 7: seq 7–8 are missing: line 7 has seq 9/);
  });

  it('catches a rollback that left the checkpoint record in Redis', async () => {
    await redis.hset(keys.auditCheckpoint, { seq: 8, hash: checkpointHash, at: new Date().toISOString() });
    await writeFile(file, `${all.slice(0, 6).join('\n')}\n`);
    const { code, stdout } = await run(['audit-log', 'verify'], chainEnv);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAILED at seq 7: the file ends at seq 6, before the checkpoint at seq 8 \(the last checkpoint recorded in Redis\)/);
  });
});
