import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../src/audit/create-audit-log.js';
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

beforeAll(async () => {
  redis = connectTestRedis();
  dir = await mkdtemp(join(tmpdir(), 'warden-audit-cli-'));
  intactFile = join(dir, 'audit.jsonl');
  const config = join(dir, 'warden.config.yaml');
  await writeFile(
    config,
    [
      'alertmanager:',
      '  token: ${WARDEN_WEBHOOK_TOKEN}',
      'redis:',
      `  prefix: ${prefix}`,
      'audit:',
      `  file: ${intactFile}`,
      '  hmacKey: ${WARDEN_AUDIT_KEY}',
      '',
    ].join('\n'),
  );
  env = { WARDEN_CONFIG: config, WARDEN_WEBHOOK_TOKEN: WEBHOOK_TOKEN, WARDEN_AUDIT_KEY: AUDIT_KEY, REDIS_URL: TEST_REDIS_URL };

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

  it('says when Redis was not reachable and only the file was checked', async () => {
    const file = await copyWith('truncated-offline', (l) => l.slice(0, 4));
    const password = randomSecret(24);
    const { code, stdout } = await run(['audit-log', 'verify', '--file', file], { ...env, REDIS_URL: `redis://:${password}@127.0.0.1:${await findFreePort()}` });
    expect(code).toBe(0);
    expect(stdout).toContain('ok: 4 entries, chain intact (last seq 4)');
    expect(stdout).toMatch(/note: Redis was not reachable \(connect ECONNREFUSED 127\.0\.0\.1:\d+\): only the file was checked/);
    expect(stdout).not.toContain(password);
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
    expect((await run(['help'])).stdout).toContain('audit-log verify [--file <path>] [--json]');
  });
});
