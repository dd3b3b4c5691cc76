// Walks the README's quick start as a newcomer would, on the embedded defaults: in a copy of the
// checkout, with nothing exported but PATH, HOME, REDIS_URL (a private redis-server) and PORT, each
// command of the quick start runs in order and must print what the README says it prints.
// Two changes to what a newcomer runs, both stated here: `npm ci` becomes a link to this checkout's
// node_modules plus `npm run prepare` (what `npm ci` runs after installing), and the port is a free
// one instead of 3000 (the curl command is rewritten to match), so that a busy machine cannot clash.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort, startRedisServer, type TestRedisServer } from '../../support/start-redis-server.js';

const root = realpathSync(new URL('../../../', import.meta.url).pathname);

/** The shell commands of the README's "Quick start" section, in order: continuation lines joined, comments removed. */
function readQuickStart(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Quick start\n');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  const commands: string[] = [];
  for (const block of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const joined = block[1]!.replace(/\\\n\s*/g, '');
    for (const line of joined.split('\n')) {
      const command = line.replace(/\s+#.*$/, '').trim();
      if (command !== '') commands.push(command);
    }
  }
  return commands;
}

/** Copies the files of the checkout (tracked, and new ones not ignored) into `dir`, as a clone would hold them. */
function copyCheckout(dir: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root }).toString().split('\0');
  for (const file of files) {
    if (file === '' || file === 'node_modules' || !existsSync(join(root, file)) || !statSync(join(root, file)).isFile()) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(root, file), join(dir, file));
  }
  symlinkSync(realpathSync(join(root, 'node_modules')), join(dir, 'node_modules'));
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

let redis: TestRedisServer;
let dir: string;
let port: number;
let env: Record<string, string>;
let server: ChildProcess | undefined;
let serverOutput = '';

/** Runs one README command with bash in the copy; generous, for a busy machine. */
function run(command: string, timeoutMs = 240_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { cwd: dir, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`"${command}" did not finish within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function waitFor(what: string, found: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!found()) {
    if (server?.exitCode !== null && server?.exitCode !== undefined) throw new Error(`npm start exited (${server.exitCode}) before ${what}:\n${serverOutput}`);
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms:\n${serverOutput}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the README quick start, on a fresh copy with nothing configured', () => {
  beforeAll(async () => {
    redis = await startRedisServer();
    dir = mkdtempSync(join(tmpdir(), 'warden-readme-'));
    port = await findFreePort();
    env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, REDIS_URL: redis.url, PORT: String(port) };
    copyCheckout(dir);
  }, 60_000);

  afterAll(async () => {
    if (server && server.exitCode === null && server.pid !== undefined) {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await redis?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs every quick-start command in order, each printing what the README says', async () => {
    const commands = readQuickStart();
    expect(commands.map((command) => command.split(' ').slice(0, 4).join(' '))).toEqual([
      'npm ci',
      'npm start',
      'curl -sS -X POST',
      'npx warden config check',
      'npx warden checklist run',
      'npx warden audit',
    ]);
    const [, , curl, configCheck, checklistRun, audit] = commands as [string, string, string, string, string, string];

    // npm ci: the dependencies are this checkout's; `prepare` compiles, as npm ci would.
    const prepared = await run('npm run prepare');
    expect(prepared.code, prepared.stderr).toBe(0);

    // npm start, left running as in the first terminal.
    server = spawn('npm', ['start'], { cwd: dir, env, detached: true });
    server.stdout?.on('data', (c: Buffer) => (serverOutput += c.toString()));
    server.stderr?.on('data', (c: Buffer) => (serverOutput += c.toString()));
    await waitFor('"Warden is running"', () => serverOutput.includes('"msg":"Warden is running"'));
    expect(serverOutput).toContain('WARDEN_WEBHOOK_TOKEN is not set: Alertmanager must send the token stored in this file');
    expect(readFileSync(join(dir, 'data', 'webhook-token'), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);

    // The sample alert: answered as the README says, and its card appears in the first terminal.
    expect(curl).toContain('http://127.0.0.1:3000/');
    const sent = await run(curl.replace('http://127.0.0.1:3000/', `http://127.0.0.1:${port}/`));
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(/^\{"status":"accepted","outcome":"created","incident":"inc-[0-9a-f]{12}"\}$/);
    await waitFor('card', () => serverOutput.includes('── new card console-1 → console:terminal ──') && serverOutput.includes('[Acknowledge] [Isolate]'));
    expect(serverOutput).toContain('SuspiciousProcess');

    // The command line, in a second terminal while npm start runs.
    const checked = await run(configCheck);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toContain('Configuration OK');
    expect(checked.stdout).toContain(`webhook:    token in ${join(dir, 'data', 'webhook-token')} (generated by warden serve)`);

    const daily = await run(checklistRun);
    expect(daily.code, `${daily.stdout}\n${daily.stderr}`).toBe(0);
    expect(daily.stdout).toContain('Daily security check (daily): 5 items');
    expect(daily.stdout).toMatch(/\n\d+ passed, 0 failed, 3 to check by hand\n$/);

    const audited = await run(audit);
    const summary = /(\d+) checks: (\d+) pass, (\d+) fail, (\d+) skipped/.exec(audited.stdout);
    expect(summary, audited.stdout + audited.stderr).not.toBeNull();
    // Exit 1 while a check fails, as the README says; the configuration itself loads.
    expect(audited.code).toBe(Number(summary![3]) > 0 ? 1 : 0);
    expect(audited.stdout).not.toContain('config-valid');
    const [failed = '', passed = ''] = [audited.stdout.split('\nSkipped')[0], audited.stdout.split('\nPassed')[1]];
    expect(failed).toContain('redis-auth');
    expect(passed).toContain('webhook-token-length');
    expect(passed).toContain('approvers-two-or-more');

    // Ctrl-C in the first terminal: the terminal signals the whole foreground group, npm and Warden.
    // Warden stops cleanly; npm then ends as a process ended by Ctrl-C does (by the signal).
    process.kill(-server.pid!, 'SIGINT');
    const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => server!.once('exit', (code, signal) => resolve({ code, signal })));
    expect([0, 'SIGINT'], serverOutput).toContain(ended.code ?? ended.signal);
    expect(serverOutput).toContain('"msg":"stopped"');
  }, 900_000);
});
