import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import type { SelfAuditIo } from '../../../src/cli/self-audit-command.js';
import { findFreePort } from '../../../src/redis/find-free-port.js';
import type { SelfAuditReport } from '../../../src/self-audit/self-audit-finding.js';
import { makeTempDir } from '../../support/self-audit-fixtures.js';
import { startSelfAuditRedis, type SelfAuditRedis } from '../../support/self-audit-redis.js';
import { randomSecret, TEST_REDIS_URL } from '../../support/test-redis.js';

const cli = new URL('../../support/warden-cli.ts', import.meta.url).pathname;
const tsx = import.meta.resolve('tsx');

const REDIS_PASSWORD = randomSecret(32);
const SECRETS = {
  WARDEN_WEBHOOK_TOKEN: randomSecret(40),
  SLACK_SIGNING_SECRET: randomSecret(32),
  SLACK_BOT_TOKEN: `xoxb-${randomSecret(24)}`,
  WARDEN_AUDIT_KEY: randomSecret(48),
};

let goodRedis: SelfAuditRedis;
let badRedis: SelfAuditRedis;
const temps: ReturnType<typeof makeTempDir>[] = [];

beforeAll(async () => {
  [goodRedis, badRedis] = await Promise.all([
    startSelfAuditRedis(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction'], REDIS_PASSWORD),
    startSelfAuditRedis(['--maxmemory-policy', 'allkeys-lru', '--appendonly', 'no', '--save', '']),
  ]);
});
afterAll(async () => Promise.all([goodRedis?.stop(), badRedis?.stop()]));
afterEach(() => {
  for (const temp of temps.splice(0)) temp.remove();
});

interface Deployment {
  dir: string;
  configPath: string;
  data: string;
  env: Record<string, string>;
}

/** A deployment in a temp dir: everything right unless `bad`, where a dozen things are wrong. */
function deploy(bad = false): Deployment {
  const temp = makeTempDir('audit-cli');
  temps.push(temp);
  const { dir } = temp;
  mkdirSync(join(dir, 'bin'), { mode: 0o755 });
  const program = join(dir, 'bin', 'queuectl');
  writeFileSync(program, '#!/bin/sh\nexit 0\n');
  chmodSync(program, bad ? 0o777 : 0o755);
  const data = join(dir, 'data');
  mkdirSync(data);
  writeFileSync(join(data, 'audit.jsonl'), '');
  chmodSync(join(data, 'audit.jsonl'), bad ? 0o644 : 0o600);
  chmodSync(data, bad ? 0o755 : 0o700);
  const configPath = join(dir, 'warden.config.yaml');
  writeFileSync(
    configPath,
    [
      `server: { host: ${bad ? '0.0.0.0' : '127.0.0.1'} }`,
      'redis: { url: "${REDIS_URL}" }',
      'alertmanager: { token: "${WARDEN_WEBHOOK_TOKEN}" }',
      'slack: { signingSecret: "${SLACK_SIGNING_SECRET}", botToken: "${SLACK_BOT_TOKEN}" }',
      'access:',
      `  groups: { operators: ["slack:U0OPS1", "slack:U0OPS2"], approvers: [${bad ? '"slack:U0LEAD"' : '"slack:U0LEAD", "slack:U0LEAD2"'}] }`,
      '  permissions:',
      ...['incident.view', 'incident.respond', 'action.run', 'checklist.run', 'checklist.tick'].map((p) => `    ${p}: [operators, approvers]`),
      '    action.approve: [approvers]',
      'actions:',
      `  pause-queue: { kind: exec, phase: isolate, title: Pause queue, destructive: true, argv: ["${program}", pause] }`,
      `  errors: { kind: prometheus, phase: analyze, title: Errors, query: up, url: "${bad ? 'http://prometheus.internal:9090' : 'https://prometheus.internal'}" }`,
      `audit: { file: "${join(data, 'audit.jsonl')}", hmacKey: "\${WARDEN_AUDIT_KEY}" }`,
      '',
    ].join('\n'),
  );
  chmodSync(configPath, bad ? 0o644 : 0o640);
  const env: Record<string, string> = { ...SECRETS, WARDEN_CONFIG: configPath, REDIS_URL: bad ? badRedis.url : goodRedis.url };
  if (bad) env.LOG_LEVEL = 'debug';
  return { dir, configPath, data, env };
}

const BAD_IDS = [
  'process-not-root',
  'config-file-mode',
  'data-dir-mode',
  'audit-file-mode',
  'server-bind-address',
  'plain-http-urls',
  'redis-auth',
  'redis-persistence',
  'redis-eviction-policy',
  'approvers-two-or-more',
  'exec-program-not-writable',
  'log-level',
];

async function run(argv: string[], env: Record<string, string | undefined>, extra: { uid?: number; cwd?: string } = {}) {
  let stdout = '';
  let stderr = '';
  const io: SelfAuditIo = { env, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), getuid: () => extra.uid ?? 1000, cwd: extra.cwd };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

function expectNoSecrets(text: string) {
  for (const [name, value] of Object.entries({ ...SECRETS, REDIS_PASSWORD })) expect(text, `${name} was printed`).not.toContain(value);
}

const failedIds = (report: SelfAuditReport) => report.findings.filter((f) => f.status === 'fail').map((f) => f.id).sort();

describe('warden audit', () => {
  it('passes a good deployment: exit 0 and the summary line', async () => {
    const { env, dir } = deploy();
    const { code, stdout, stderr } = await run(['audit'], env, { cwd: dir });
    expect(stderr).toBe('');
    expect(stdout).not.toContain('Failed');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('28 checks: 25 pass, 0 fail, 3 skipped');
    expect(code).toBe(0);
    expectNoSecrets(stdout);
  });

  it('fails a bad deployment: exit 1, every failing check named with its fix, failures first', async () => {
    const { env, dir } = deploy(true);
    const { code, stdout } = await run(['audit'], env, { uid: 0, cwd: dir });
    expect(code).toBe(1);
    const failedSection = stdout.slice(0, stdout.indexOf('\nSkipped') >= 0 ? stdout.indexOf('\nSkipped') : stdout.indexOf('\nPassed'));
    expect(failedSection.startsWith('Failed\n  CRITICAL  process-not-root')).toBe(true);
    for (const id of BAD_IDS) expect(failedSection).toMatch(new RegExp(`^  [A-Z]+ +${id} `, 'm'));
    expect(failedSection.match(/^ +fix: /gm)).toHaveLength(BAD_IDS.length);
    expect(stdout).toContain(`binds 0.0.0.0:3000 with no trusted proxy configured`);
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^28 checks: \\d+ pass, ${BAD_IDS.length} fail, \\d+ skipped$`));
    expectNoSecrets(stdout);
  });

  it('--json prints one object whose findings and counts match the table', async () => {
    const { env, dir } = deploy(true);
    const table = await run(['audit'], env, { uid: 0, cwd: dir });
    const { code, stdout } = await run(['audit', '--json'], env, { uid: 0, cwd: dir });
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as SelfAuditReport;
    expect(Object.keys(report)).toEqual(['findings', 'total', 'passed', 'failed', 'skipped']);
    expect(failedIds(report)).toEqual([...BAD_IDS].sort());
    expect(report.total).toBe(report.findings.length);
    expect(table.stdout.trimEnd().split('\n').at(-1)).toBe(`${report.total} checks: ${report.passed} pass, ${report.failed} fail, ${report.skipped} skipped`);
    expect(report.findings.find((f) => f.id === 'redis-eviction-policy')).toMatchObject({ status: 'fail', finding: expect.stringMatching(/^maxmemory-policy allkeys-lru/) });
    expectNoSecrets(stdout);
  });

  it('--fix tightens a 0644 config file to 0640 and a 0755 data directory to 0700, never loosens a 0600 file, then audits', async () => {
    const { env, dir, configPath, data } = deploy(true);
    chmodSync(join(data, 'audit.jsonl'), 0o600);
    const { stdout } = await run(['audit', '--fix'], env, { uid: 0, cwd: dir });
    expect(statSync(configPath).mode & 0o777).toBe(0o640);
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(join(data, 'audit.jsonl')).mode & 0o777).toBe(0o600);
    expect(stdout).toMatch(
      new RegExp(`^File modes:\\n  config file ${configPath}: 0644 -> 0640\\n  data directory ${data}: 0755 -> 0700\\n\\nFailed\\n`),
    );
    const json = JSON.parse((await run(['audit', '--fix', '--json'], env, { uid: 0, cwd: dir })).stdout) as SelfAuditReport & { fixes: { outcome: string }[] };
    for (const id of ['config-file-mode', 'data-dir-mode', 'audit-file-mode']) expect(json.findings.find((f) => f.id === id)?.status).toBe('pass');
    expect(json.fixes.map((f) => f.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged', 'missing']);
  });

  it('reports the real Redis as CONFIG GET sees it', async () => {
    const { env, dir } = deploy();
    const { stdout } = await run(['audit', '--json'], { ...env, REDIS_URL: TEST_REDIS_URL }, { cwd: dir });
    const report = JSON.parse(stdout) as SelfAuditReport;
    const redis = new Redis(TEST_REDIS_URL, { protocol: 2 });
    try {
      const [, appendonly] = (await redis.config('GET', 'appendonly')) as string[];
      const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as string[];
      const persistence = report.findings.find((f) => f.id === 'redis-persistence')!;
      expect(persistence.status).toBe(appendonly === 'yes' ? 'pass' : 'fail');
      expect(persistence.finding).toContain(`appendonly ${appendonly}`);
      expect(report.findings.find((f) => f.id === 'redis-eviction-policy')).toMatchObject({ status: policy === 'noeviction' ? 'pass' : 'fail', finding: expect.stringContaining(`maxmemory-policy ${policy}`) });
    } finally {
      redis.disconnect();
    }
  });

  it('skips the Redis checks it cannot make when Redis is unreachable, with the reason, and exits 0 if nothing failed', async () => {
    const { env, dir } = deploy();
    const port = await findFreePort();
    const { code, stdout } = await run(['audit', '--json'], { ...env, REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:${port}` }, { cwd: dir });
    const report = JSON.parse(stdout) as SelfAuditReport;
    for (const id of ['redis-persistence', 'redis-eviction-policy']) {
      expect(report.findings.find((f) => f.id === id)).toMatchObject({
        status: 'skip',
        finding: `no connection to Redis at 127.0.0.1:${port} (loopback): connect ECONNREFUSED 127.0.0.1:${port}`,
      });
    }
    expect(code).toBe(0);
    expectNoSecrets(stdout);

    const wrong = goodRedis.url.replace(REDIS_PASSWORD, `not-${REDIS_PASSWORD}`);
    const refused = JSON.parse((await run(['audit', '--json'], { ...env, REDIS_URL: wrong }, { cwd: dir })).stdout) as SelfAuditReport;
    expect(refused.findings.find((f) => f.id === 'redis-persistence')?.finding).toMatch(/^no connection to Redis at 127\.0\.0\.1:\d+ \(loopback\): WRONGPASS/);
    expect(JSON.stringify(refused)).not.toContain(REDIS_PASSWORD);
  });

  it('reports a configuration that does not load as the failing check config-valid, exit 1', async () => {
    const { env, dir } = deploy();
    const { code, stdout } = await run(['audit', '--json'], { ...env, SLACK_SIGNING_SECRET: undefined }, { cwd: dir });
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as SelfAuditReport;
    expect(report).toMatchObject({ total: 1, failed: 1, passed: 0, skipped: 0 });
    expect(report.findings[0]).toMatchObject({ id: 'config-valid', status: 'fail' });
    expect(report.findings[0]!.finding).toContain('slack.signingSecret (line 4): required, but ${SLACK_SIGNING_SECRET} is not set');
    const table = await run(['audit'], { ...env, SLACK_SIGNING_SECRET: undefined }, { cwd: dir });
    expect(table.stdout).toMatch(/^Failed\n  HIGH +config-valid +The configuration loads\n/);
  });

  it('exits 2 on bad usage', async () => {
    const { env, dir } = deploy();
    for (const argv of [['audit', '--verbose'], ['audit', 'now']]) {
      const { code, stderr } = await run(argv, env, { cwd: dir });
      expect(code).toBe(2);
      expect(stderr).toContain('Usage: warden <command>');
    }
    expect((await run(['help'], {})).stdout).toContain('audit [--json] [--fix]');
  });

  it('runs as a real process: exit 1 for the bad deployment, JSON on stdout, the real uid checked', async () => {
    const { env, dir } = deploy(true);
    const child = spawn(process.execPath, ['--import', tsx, cli, 'audit', '--json'], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as SelfAuditReport;
    const root = process.getuid!() === 0;
    expect(failedIds(report)).toEqual(BAD_IDS.filter((id) => root || id !== 'process-not-root').sort());
    expect(report.findings.find((f) => f.id === 'process-not-root')?.finding).toMatch(root ? /^the process runs as uid 0 \(root\)/ : `the process runs as uid ${process.getuid!()}`);
    expectNoSecrets(stdout);
    // A bound for a busy machine: tsx compiles Warden's sources before the command runs.
  }, 120_000);
});
