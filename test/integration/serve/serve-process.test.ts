import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { connectTestRedis, deleteKeys, randomSecret, TEST_REDIS_URL, uniquePrefix } from '../../support/test-redis.js';

const cli = new URL('../../support/warden-cli.ts', import.meta.url).pathname;
// Resolved from the checkout, since the processes run in a temporary working directory.
const tsx = import.meta.resolve('tsx');

interface ServeProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `warden serve` as a real process with a config file, and waits until it listens. */
async function serve(env: Record<string, string>, dir: string, args: string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', tsx, cli, 'serve', ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env } });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A generous bound: tsx compiles Warden's sources first, which can take most of a minute on a busy machine.
  const deadline = Date.now() + 90_000;
  for (;;) {
    const running = output.split('\n').find((line) => line.includes('"Warden is running"'));
    if (running) return { child, url: (JSON.parse(running) as { url: string }).url, output: () => output, exited };
    if (child.exitCode !== null || Date.now() > deadline) {
      if (child.exitCode === null) child.kill('SIGKILL');
      throw new Error(`warden serve did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('warden serve as a process', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(): Promise<{ slack: FakeSlackApi; env: Record<string, string> & { WARDEN_WEBHOOK_TOKEN: string; SLACK_BOT_TOKEN: string; SLACK_SIGNING_SECRET: string }; dir: string; prefix: string }> {
    const botToken = `xoxb-${randomSecret(24)}`;
    const slack = await startFakeSlackApi({ botToken });
    const dir = mkdtempSync(join(tmpdir(), 'warden-serve-'));
    const prefix = uniquePrefix('serve');
    writeFileSync(
      join(dir, 'warden.config.yaml'),
      [
        'server: { port: 0 }',
        `redis: { url: "\${REDIS_URL}", prefix: ${prefix} }`,
        'alertmanager: { token: "${WARDEN_WEBHOOK_TOKEN}" }',
        'slack: { signingSecret: "${SLACK_SIGNING_SECRET}", botToken: "${SLACK_BOT_TOKEN}", apiUrl: "${SLACK_API_URL}" }',
        'routes: [{ to: ["slack:C0SHUTDOWN"] }]',
      ].join('\n'),
    );
    const env = {
      WARDEN_CONFIG: join(dir, 'warden.config.yaml'),
      REDIS_URL: TEST_REDIS_URL,
      WARDEN_WEBHOOK_TOKEN: randomSecret(40),
      SLACK_SIGNING_SECRET: randomSecret(32),
      SLACK_BOT_TOKEN: botToken,
      SLACK_API_URL: slack.url,
      LOG_LEVEL: 'debug',
    };
    cleanups.push(async () => {
      await slack.close();
      const redis = connectTestRedis();
      await deleteKeys(redis, prefix);
      redis.disconnect();
      rmSync(dir, { recursive: true, force: true });
    });
    return { slack, env, dir, prefix };
  }

  it('on SIGTERM stops taking requests, lets the active job finish, and exits 0', async () => {
    const { slack, env, dir } = await setUp();
    const warden = await serve(env, dir);
    cleanups.push(async () => {
      if (warden.child.exitCode === null) warden.child.kill('SIGKILL');
    });

    slack.delayNext(2_000);
    expect((await postNotification(warden.url, env.WARDEN_WEBHOOK_TOKEN, buildNotification())).status).toBe(202);
    // The notify job is active once the slow Slack call arrived at the fake.
    await expect.poll(() => slack.received, { timeout: 20_000, interval: 20 }).toContain('chat.postMessage');
    expect(slack.messages('C0SHUTDOWN')).toHaveLength(0);
    warden.child.kill('SIGTERM');
    await expect.poll(() => warden.output(), { timeout: 20_000, interval: 20 }).toContain('shutting down: no new requests');

    const late = await postNotification(warden.url, env.WARDEN_WEBHOOK_TOKEN, buildNotification({ alertname: 'TooLate' })).catch(() => null);
    expect(late?.status ?? 'refused').not.toBe(202);

    expect(await warden.exited).toBe(0);
    // The job that was running finished: its card reached Slack before the process exited.
    expect(slack.messages('C0SHUTDOWN')).toHaveLength(1);
    expect(warden.output()).toContain('"msg":"stopped"');
    for (const secret of [env.WARDEN_WEBHOOK_TOKEN, env.SLACK_BOT_TOKEN, env.SLACK_SIGNING_SECRET]) expect(warden.output()).not.toContain(secret);
  }, 240_000);

  it('runs web and worker roles as separate processes', async () => {
    const { slack, env, dir } = await setUp();
    // Started side by side: each takes a while to load on a busy machine.
    const started = await Promise.allSettled([serve(env, dir, ['--role', 'web']), serve(env, dir, ['--role', 'worker'])]);
    cleanups.push(async () => {
      for (const p of started) if (p.status === 'fulfilled' && p.value.child.exitCode === null) p.value.child.kill('SIGKILL');
    });
    const [web, worker] = started.map((p) => {
      if (p.status === 'rejected') throw p.reason;
      return p.value;
    }) as [ServeProcess, ServeProcess];
    expect(worker.url).toBeUndefined();

    expect((await postNotification(web.url, env.WARDEN_WEBHOOK_TOKEN, buildNotification())).status).toBe(202);
    await slack.waitFor(() => slack.messages('C0SHUTDOWN').length === 1, 15_000);

    web.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    expect(await web.exited).toBe(0);
    expect(await worker.exited).toBe(0);
  }, 240_000);

  it('refuses to start on an invalid configuration, saying how to fix it', async () => {
    const { env, dir } = await setUp();
    const child = spawn(process.execPath, ['--import', tsx, cli, 'serve'], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env, WARDEN_WEBHOOK_TOKEN: 'short' } });
    let output = '';
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('alertmanager.token');
    expect(output).toContain('at least 32 characters');
    expect(output).not.toContain('    at ');
  }, 240_000);
});
