import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../src/audit/create-audit-log.js';
import { runCli, type CliIo } from '../../../src/cli/main.js';
import type { Checklist } from '../../../src/checklists/checklist-schema.js';
import { loadChecklists } from '../../../src/checklists/load-checklists.js';
import type { ChecklistItemOutcome } from '../../../src/cli/checklist-run-command.js';
import { findFreePort } from '../../../src/redis/find-free-port.js';
import { startFakeHttpServer, type FakeHttpServer } from '../../support/fake-http-server.js';
import { connectTestRedis, deleteKeys, listKeys, randomSecret, TEST_REDIS_URL, uniquePrefix } from '../../support/test-redis.js';

const cli = new URL('../../support/warden-cli.ts', import.meta.url).pathname;
const tsx = import.meta.resolve('tsx');

interface RunOutput {
  checklist: string;
  title: string;
  passed: number;
  failed: number;
  manual: number;
  items: ChecklistItemOutcome[];
}

const TOKEN = randomSecret(40);
// The CLI reads the package's own checklists/; the tests compare against the same files.
const shipped = loadChecklists(undefined, { actions: {} });
const cleanPrefix = uniquePrefix('checklist-cli');
const attackedPrefix = uniquePrefix('checklist-cli-attacked');

let dir: string;
let redis: Redis;
let health: FakeHttpServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'warden-checklist-cli-'));
  mkdirSync(join(dir, 'data'), { mode: 0o700 });
  redis = connectTestRedis();
  health = await startFakeHttpServer(async (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('ok');
  });
  // 25 denials in the last hour: over the daily checklist's max of 20.
  await createAuditLog({ redis, prefix: attackedPrefix }).append({ type: 'access.denied', actor: 'slack:U0MALLORY', outcome: 'denied', detail: { count: 25 } });
});

afterAll(async () => {
  await health?.close();
  if (redis) {
    await deleteKeys(redis, cleanPrefix);
    await deleteKeys(redis, attackedPrefix);
    redis.disconnect();
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let files = 0;
/** A configuration file in the temp dir and the environment that points to it. */
function configure(options: { prefix?: string; redisUrl?: string; actions?: string[] } = {}): Record<string, string> {
  const file = join(dir, `warden-${++files}.yaml`);
  const lines = ['alertmanager: { token: "${WARDEN_WEBHOOK_TOKEN}" }', `redis: { url: "\${REDIS_URL}", prefix: "${options.prefix ?? cleanPrefix}" }`];
  if (options.actions) lines.push('actions:', ...options.actions.map((line) => `  ${line}`));
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o640 });
  return { WARDEN_CONFIG: file, WARDEN_WEBHOOK_TOKEN: TOKEN, REDIS_URL: options.redisUrl ?? TEST_REDIS_URL };
}

async function run(argv: string[], env: Record<string, string | undefined>) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { env, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** Runs `checklist run <id> --json` and parses what it prints. */
async function runJson(id: string, env: Record<string, string>): Promise<{ code: number; output: RunOutput }> {
  const { code, stdout, stderr } = await run(['checklist', 'run', id, '--json'], env);
  expect(stderr).toBe('');
  expect(stdout.endsWith('\n')).toBe(true);
  expect(stdout.trimEnd().split('\n')).toHaveLength(1);
  return { code, output: JSON.parse(stdout) as RunOutput };
}

/** The JSON's counts and items agree with each other and with the checklist file. */
function expectConsistent(output: RunOutput, checklist: Checklist): void {
  expect(output.checklist).toBe(checklist.id);
  expect(output.title).toBe(checklist.title);
  expect(output.items.map((item) => item.id)).toEqual(checklist.items.map((item) => item.id));
  expect(output.passed).toBe(output.items.filter((item) => item.type === 'automated' && item.ok === true).length);
  expect(output.failed).toBe(output.items.filter((item) => item.type === 'automated' && item.ok === false).length);
  expect(output.manual).toBe(output.items.filter((item) => item.type === 'manual').length);
  expect(output.passed + output.failed + output.manual).toBe(checklist.items.length);
  output.items.forEach((item, n) => {
    const source = checklist.items[n]!;
    expect(item.title).toBe(source.title);
    expect(item.guidance).toBe(source.guidance);
    if (item.type === 'automated') {
      expect(typeof item.ok, item.id).toBe('boolean');
      expect(item.evidence, item.id).toMatch(/\S/);
    } else {
      expect(item.ok, item.id).toBeUndefined();
      expect(item.evidence, item.id).toBeUndefined();
    }
  });
}

/** Parses the text output: one `[n/total] STATUS id — title` line per item, then its evidence or guidance. */
function parseText(stdout: string, checklist: Checklist) {
  const lines = stdout.split('\n');
  expect(lines[0]).toMatch(new RegExp(`^${escapeRegExp(checklist.title)} \\(${checklist.id}\\): ${checklist.items.length} items`));
  const entries: Array<{ n: number; status: string; id: string; title: string; detail: string[] }> = [];
  lines.forEach((line, i) => {
    const match = /^\[(\d+)\/(\d+)\] (PASS|FAIL|TODO) (\S+) — (.+)$/.exec(line);
    if (!match) return;
    expect(Number(match[2])).toBe(checklist.items.length);
    const detail: string[] = [];
    for (let j = i + 1; j < lines.length && lines[j]!.startsWith('        '); j++) detail.push(lines[j]!.trim());
    entries.push({ n: Number(match[1]), status: match[3]!, id: match[4]!, title: match[5]!, detail });
  });
  expect(entries.map((entry) => entry.n)).toEqual(checklist.items.map((_, i) => i + 1));
  expect(entries.map((entry) => entry.id).sort()).toEqual(checklist.items.map((item) => item.id).sort());
  return entries;
}

/** The text output agrees with the JSON of the same run: statuses, evidence or guidance, the summary line. */
function expectTextMatches(stdout: string, output: RunOutput, checklist: Checklist): void {
  const entries = parseText(stdout, checklist);
  for (const entry of entries) {
    const item = output.items.find((candidate) => candidate.id === entry.id)!;
    expect(entry.status, entry.id).toBe(item.type === 'manual' ? 'TODO' : item.ok ? 'PASS' : 'FAIL');
    if (item.type === 'manual') {
      expect(entry.title).toBe(`${item.title} (manual)`);
      expect(entry.detail[0]).toBe(item.guidance);
      expect(entry.detail.slice(1)).toEqual(item.note ? [`(${item.note})`] : []);
    } else {
      expect(entry.title).toBe(item.title);
      expect(entry.detail).toHaveLength(1);
      expect(entry.detail[0]).toMatch(/\S/);
    }
  }
  // Automated results print as they arrive, then the manual items.
  const firstTodo = entries.findIndex((entry) => entry.status === 'TODO');
  if (firstTodo >= 0) expect(entries.slice(firstTodo).every((entry) => entry.status === 'TODO')).toBe(true);
  expect(stdout.trimEnd().split('\n').at(-1)).toBe(`${output.passed} passed, ${output.failed} failed, ${output.manual} to check by hand`);
}

describe('warden checklist run', () => {
  it('daily: automated results with evidence, manual items with guidance, and a summary; nothing stored', async () => {
    const env = configure();
    const daily = shipped.get('daily')!;
    const { code: jsonCode, output } = await runJson('daily', env);
    expectConsistent(output, daily);
    const unauthorized = output.items.find((item) => item.id === 'unauthorized-access');
    expect(unauthorized).toMatchObject({ type: 'automated', ok: true, evidence: 'no authentication failures, denials or rate-limited requests in the last 24 h (max 20)' });
    // Items naming an action this configuration lacks are manual, and say which action to configure.
    expect(output.items.find((item) => item.id === 'service-status')).toMatchObject({
      type: 'manual',
      note: 'no automated check here: configure the probe action "service-health" to check it automatically',
    });
    expect(jsonCode).toBe(output.failed > 0 ? 1 : 0);

    const { code, stdout, stderr } = await run(['checklist', 'run', 'daily'], env);
    expect(stderr).toBe('');
    expect(stdout).not.toContain('Redis not reachable');
    expectTextMatches(stdout, output, daily);
    expect(stdout).toMatch(/^\[\d\/5\] PASS unauthorized-access — Unauthorized and forbidden access attempts\n {8}no authentication failures/m);
    expect(code).toBe(jsonCode);
    expect(await listKeys(redis, cleanPrefix)).toEqual([]);
  });

  it('daily fails with exit 1 when the audit log holds more refusals than the checklist allows', async () => {
    const env = configure({ prefix: attackedPrefix });
    const { code, output } = await runJson('daily', env);
    expectConsistent(output, shipped.get('daily')!);
    expect(output.items.find((item) => item.id === 'unauthorized-access')).toMatchObject({
      ok: false,
      evidence: expect.stringMatching(/^25 denials in the last 24 h \(max 20\); latest \d{4}-\d\d-\d\d \d\d:\d\d UTC$/),
    });
    expect(output.failed).toBeGreaterThanOrEqual(1);
    expect(code).toBe(1);
    const text = await run(['checklist', 'run', 'daily'], env);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^\[\d\/5\] FAIL unauthorized-access — Unauthorized and forbidden access attempts\n {8}25 denials in the last 24 h \(max 20\)/m);
  });

  it('weekly: the results agree with the real Redis and the exit code with the failures', async () => {
    const env = configure();
    const weekly = shipped.get('weekly')!;
    const { code, output } = await runJson('weekly', env);
    expectConsistent(output, weekly);
    expect(code).toBe(output.failed > 0 ? 1 : 0);
    expect(output.items.filter((item) => item.type === 'manual').map((item) => item.id)).toEqual(expect.arrayContaining(['tls-certificates', 'access-review']));

    const [, appendonly] = (await redis.config('GET', 'appendonly')) as string[];
    const [, save] = (await redis.config('GET', 'save')) as string[];
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const durability = output.items.find((item) => item.id === 'redis-durability')!;
    expect(durability.ok).toBe((appendonly === 'yes' || save!.trim() !== '') && policy === 'noeviction');
    expect(durability.evidence).toContain(`appendonly ${appendonly}, save "${save}", maxmemory-policy ${policy}`);
    expect(output.items.find((item) => item.id === 'self-audit')?.evidence).toMatch(/\d+ of \d+ checks (fail|pass)/);

    const text = await run(['checklist', 'run', 'weekly'], env);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(code);
    expectTextMatches(text.stdout, output, weekly);
  });

  it('says when Redis does not answer, and fails the checks that need it', async () => {
    const port = await findFreePort();
    const env = configure({ redisUrl: `redis://127.0.0.1:${port}` });
    const { code, stdout } = await run(['checklist', 'run', 'weekly'], env);
    expect(stdout.split('\n')[0]).toBe(`Weekly security self-audit (weekly): 6 items — Redis not reachable (connect ECONNREFUSED 127.0.0.1:${port}); its checks fail`);
    expect(stdout).toMatch(/^\[\d\/6\] FAIL redis-durability — .*\n {8}not checked: no Redis connection here$/m);
    expect(code).toBe(1);
    const json = await runJson('daily', env);
    expect(json.output.items.find((item) => item.id === 'unauthorized-access')).toMatchObject({ ok: false, evidence: 'not checked: no Redis connection here' });
    expect(json.code).toBe(1);
  });

  it('runs a configured probe action for an item that names it', async () => {
    const env = configure({ actions: [`service-health: { kind: http-check, phase: optimize, title: Service health, url: "http://127.0.0.1:${health.port}/healthz" }`] });
    const { output } = await runJson('daily', env);
    expect(output.items.find((item) => item.id === 'service-status')).toMatchObject({ type: 'automated', ok: true });
    const stillManual = shipped.get('daily')!.items.filter((item) => item.check === undefined || ('action' in item.check && item.check.action !== 'service-health'));
    expect(output.items.filter((item) => item.type === 'manual').map((item) => item.id)).toEqual(stillManual.map((item) => item.id));
  });

  it('refuses to run when a checklist names a configured remediation, naming the file, line and fix', async () => {
    const env = configure({ actions: ['service-health: { kind: http, phase: recover, title: Restart services, request: { url: "https://ops.example/restart" } }'] });
    const { code, stdout, stderr } = await run(['checklist', 'run', 'daily'], env);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/checklists\/daily\.yaml:\d+: items\[\d+\]\.check\.action: names the action "service-health" \(kind http\), which changes things; a check may only use a probe/);
    expect(stderr).not.toContain(TOKEN);
  });

  it('exits 2 with a usage message for an unknown checklist, no checklist or an unknown option', async () => {
    const env = configure();
    const unknown = await run(['checklist', 'run', 'hourly'], env);
    expect(unknown).toEqual({ code: 2, stdout: '', stderr: 'warden: there is no checklist "hourly": warden checklist run <daily|monthly|predeploy|weekly> [--json]\n' });
    const none = await run(['checklist', 'run'], env);
    expect(none).toEqual({ code: 2, stdout: '', stderr: 'warden: name a checklist: warden checklist run <daily|monthly|predeploy|weekly> [--json]\n' });
    const two = await run(['checklist', 'run', 'daily', 'weekly'], env);
    expect(two).toEqual({ code: 2, stdout: '', stderr: 'warden: name one checklist: warden checklist run <daily|monthly|predeploy|weekly> [--json]\n' });
    const option = await run(['checklist', 'run', 'daily', '--verbose'], env);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('Usage: warden <command>');
    expect(option.stderr).toContain('checklist run <id> [--json]');
  });

  it('runs as a real process: JSON on stdout, relative paths against its working directory, the exit code', async () => {
    const env = configure();
    const child = spawn(process.execPath, ['--import', tsx, cli, 'checklist', 'run', 'daily', '--json'], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stderr).toBe('');
    const output = JSON.parse(stdout) as RunOutput;
    expectConsistent(output, shipped.get('daily')!);
    // ./data is the temp dir's data folder, which exists: the probe measured it rather than not finding it.
    const disk = output.items.find((item) => item.id === 'data-disk')!;
    const measured = new RegExp(`^file system of ${escapeRegExp(join(realpathSync(dir), 'data'))} ([\\d.]+)% used \\(max 85%\\)`).exec(disk.evidence ?? '');
    expect(measured, disk.evidence).not.toBeNull();
    const used = Number(measured![1]);
    if (used !== 85) expect(disk.ok).toBe(used < 85);
    expect(code).toBe(output.failed > 0 ? 1 : 0);
    // A bound for a busy machine: tsx compiles Warden's sources before the command runs.
  }, 120_000);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
