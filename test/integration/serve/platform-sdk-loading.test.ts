import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectTestRedis, deleteKeys, randomSecret, TEST_REDIS_URL, uniquePrefix } from '../../support/test-redis.js';

const cli = new URL('../../support/warden-cli.ts', import.meta.url).pathname;
const recorder = new URL('../../support/record-loaded-modules.mjs', import.meta.url).href;
// Resolved from the checkout, since the processes run in a temporary working directory.
const tsx = import.meta.resolve('tsx');
const SDK = /node_modules\/@(slack|larksuiteoapi)\//;

/**
 * Runs `warden serve` (role `all`) with `config` until it is running, stops it with SIGTERM and
 * returns every module path it loaded.
 */
async function listModulesOfServe(config: string[], env: Record<string, string>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-sdk-loading-'));
  const prefix = uniquePrefix('sdk-loading');
  const loaded = join(dir, 'loaded-modules.txt');
  writeFileSync(join(dir, 'warden.config.yaml'), ['server: { port: 0 }', `redis: { url: "${TEST_REDIS_URL}", prefix: ${prefix} }`, 'alertmanager: { token: "${WARDEN_WEBHOOK_TOKEN}" }', ...config].join('\n'));
  writeFileSync(loaded, '');
  try {
    const child = spawn(process.execPath, ['--import', tsx, '--import', recorder, cli, 'serve'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', WARDEN_CONFIG: join(dir, 'warden.config.yaml'), WARDEN_WEBHOOK_TOKEN: randomSecret(40), WARDEN_LOADED_MODULES: loaded, ...env },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await expect.poll(() => output.includes('"Warden is running"') || child.exitCode !== null, { timeout: 120_000, interval: 50 }).toBe(true);
    expect(output).toContain('"Warden is running"');
    child.kill('SIGTERM');
    expect(await exited, output).toBe(0);
    return readFileSync(loaded, 'utf8').split('\n').filter((line) => line.length > 0);
  } finally {
    const redis = connectTestRedis();
    await deleteKeys(redis, prefix);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('platform SDKs (and the iCalendar parser) are loaded only when configured', () => {
  it('serves the default configuration (console only) without loading the Slack or Lark SDK', async () => {
    const modules = await listModulesOfServe([], {});
    // The recorder saw the process load its dependencies: its silence about the SDKs means something.
    expect(modules.some((path) => path.includes('node_modules/fastify/'))).toBe(true);
    expect(modules.some((path) => path.includes('node_modules/bullmq/'))).toBe(true);
    expect(modules.filter((path) => SDK.test(path))).toEqual([]);
    // Nor the iCalendar parser: no rotation reads a calendar.
    expect(modules.filter((path) => path.includes('node_modules/ical.js/'))).toEqual([]);
  }, 240_000);

  it('loads both SDKs when Slack and Lark are configured (endpoints on loopback that are never called)', async () => {
    const modules = await listModulesOfServe(
      [
        'slack: { signingSecret: "${SLACK_SIGNING_SECRET}", botToken: "${SLACK_BOT_TOKEN}", apiUrl: "http://127.0.0.1:9/api/" }',
        'lark: { appId: "${LARK_APP_ID}", appSecret: "${LARK_APP_SECRET}", encryptKey: "${LARK_ENCRYPT_KEY}", verificationToken: "${LARK_VERIFICATION_TOKEN}", domain: "http://127.0.0.1:9" }',
      ],
      {
        SLACK_SIGNING_SECRET: randomSecret(32),
        SLACK_BOT_TOKEN: `xoxb-${randomSecret(24)}`,
        LARK_APP_ID: 'cli_a1b2c3d4e5f60718',
        LARK_APP_SECRET: randomSecret(32),
        LARK_ENCRYPT_KEY: randomSecret(32),
        LARK_VERIFICATION_TOKEN: randomSecret(32),
      },
    );
    expect(modules.some((path) => path.includes('node_modules/@slack/bolt/'))).toBe(true);
    expect(modules.some((path) => path.includes('node_modules/@larksuiteoapi/node-sdk/'))).toBe(true);
  }, 240_000);
});
