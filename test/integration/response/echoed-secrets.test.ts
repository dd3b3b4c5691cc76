import { existsSync, readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { ECHO_PROGRAM, startFakeEchoTarget, type FakeEchoTarget } from '../../support/fake-echo-target.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { createSlackClicker, resultEntries, type SlackClicker } from '../../support/remediation-fixtures.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { connectTestRedis, listKeys, randomSecret } from '../../support/test-redis.js';

const CHANNEL = 'C0SEC';
const OPERATOR = 'U0OPS1';

/** A random core per canary: it survives every encoding, so finding it anywhere is a leak. */
const core = (name: string) => `${name}${randomSecret(16).replace(/[^A-Za-z0-9]/g, 'x')}`;
const CORES = {
  AUTH: core('auth'),
  HEADER: core('header'),
  QUERY: core('query'),
  BODY_KEY: core('bodykey'),
  BODY_NOTE: core('bodynote'),
  EXEC: core('exec'),
  PROBE: core('probe'),
};
// The body's note carries characters that JSON and URLs write differently.
const ENV = {
  FW_AUTH: CORES.AUTH,
  FW_CUSTOMER: CORES.HEADER,
  FW_TENANT: CORES.QUERY,
  FIREWALL_BODY_KEY: CORES.BODY_KEY,
  FW_NOTE: `n"${CORES.BODY_NOTE}\\/<&>`,
  EXEC_TARGET: CORES.EXEC,
  PROBE_SITE: CORES.PROBE,
};

/** Every value stored under `prefix`, whatever its type, as text. */
async function dumpRedis(redis: Redis, prefix: string): Promise<string> {
  const parts: string[] = [];
  for (const key of await listKeys(redis, prefix)) {
    const type = await redis.type(key);
    let value: unknown;
    if (type === 'string') value = await redis.getBuffer(key).then((buffer) => buffer?.toString('utf8'));
    else if (type === 'hash') value = await redis.hgetall(key);
    else if (type === 'list') value = await redis.lrange(key, 0, -1);
    else if (type === 'set') value = await redis.smembers(key);
    else if (type === 'zset') value = await redis.zrange(key, '0', '-1', 'WITHSCORES');
    else if (type === 'stream') value = await redis.xrange(key, '-', '+');
    else value = `(type ${type})`;
    parts.push(`${key} ${JSON.stringify(value)}`);
  }
  return parts.join('\n');
}

/** The canaries found in `text`, by name. */
function canariesIn(text: string): string[] {
  return Object.entries(CORES)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}

/**
 * Values from the environment reach a target in every place an action can put them — a header,
 * the URL's query, a JSON body, an exec argument, a probe's URL — and the target (or program)
 * echoes all of it back, on a 400 and on a 200. A whole Warden runs the probe and the
 * remediations; none of the values may come back out: not on the Slack card, not in any Redis
 * key (incidents, timelines, results, BullMQ jobs, the audit stream), not in the log, not in the
 * audit file.
 */
describe('secrets a target echoes are never kept', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  let slack: FakeSlackApi;
  let target: FakeEchoTarget;
  let t: TestWarden;
  let redis: Redis;
  let key = '';
  let click: SlackClicker;

  const cardOf = () => slack.messages(CHANNEL).find((message) => JSON.stringify(message.blocks).includes(key));
  const cardText = () => JSON.stringify(cardOf()?.blocks ?? null);

  beforeAll(async () => {
    target = await startFakeEchoTarget();
    slack = await startFakeSlackApi({ botToken });
    redis = connectTestRedis();
    const request = (path: string) => ({
      method: 'POST',
      url: `${target.url}${path}?tenant=\${FW_TENANT}`,
      headers: { Authorization: 'Bearer ${FW_AUTH}', 'X-Customer': '${FW_CUSTOMER}' },
      body: { apiKey: '${FIREWALL_BODY_KEY}', note: '${FW_NOTE}', host: 'web-1' },
    });
    t = await startTestWarden({
      name: 'echoed-secrets',
      env: { ...ENV, SLACK_SIGNING_SECRET: signingSecret, SLACK_BOT_TOKEN: botToken },
      tree: {
        slack: { signingSecret: '${SLACK_SIGNING_SECRET}', botToken: '${SLACK_BOT_TOKEN}', apiUrl: slack.url },
        routes: [{ to: [`slack:${CHANNEL}`] }],
        access: {
          groups: { operators: [`slack:${OPERATOR}`] },
          permissions: { 'incident.respond': ['operators'], 'action.run': ['operators'] },
        },
        actions: {
          'site-up': { kind: 'http-check', phase: 'analyze', title: 'Site answers', url: `${target.url}/reject/probe?site=\${PROBE_SITE}` },
          'block-refused': { kind: 'http', phase: 'isolate', title: 'Block (refused)', request: request('/reject/block') },
          'block-accepted': { kind: 'http', phase: 'isolate', title: 'Block (accepted)', request: request('/block') },
          'exec-fails': { kind: 'exec', phase: 'isolate', title: 'Exec (fails)', argv: [process.execPath, ECHO_PROGRAM, 'fail', '--target=${EXEC_TARGET}'] },
          'exec-succeeds': { kind: 'exec', phase: 'isolate', title: 'Exec (succeeds)', argv: [process.execPath, ECHO_PROGRAM, 'ok', '--target=${EXEC_TARGET}'] },
        },
        limits: { outbound: { slackPerChannelPerSecond: 50 } },
      },
    });
    const posted = await postNotification(t.url, t.token, buildNotification({ alertname: 'EchoedSecrets', instances: ['web-1:9100'] }));
    expect(posted.status).toBe(202);
    key = posted.body.incident as string;
    await slack.waitFor(() => cardOf() !== undefined, 10_000);
    click = createSlackClicker({ url: () => t.url, signingSecret, channel: CHANNEL, messageTs: () => cardOf()?.ts ?? '1700000000.000001' });
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    redis?.disconnect();
    await slack?.close();
    await target?.close();
  });

  it('runs the probe and every remediation, the target and the program receiving every canary', async () => {
    for (const actionId of ['block-refused', 'block-accepted', 'exec-fails', 'exec-succeeds']) {
      expect((await click(OPERATOR, 'action.run', { k: key, a: actionId })).status).toBe(200);
    }
    const timeline = () => t.warden.store.timeline(key);
    for (const actionId of ['block-refused', 'block-accepted', 'exec-fails', 'exec-succeeds']) {
      await expect.poll(async () => resultEntries(await timeline(), actionId).length, { timeout: 30_000 }).toBe(1);
    }
    await expect.poll(cardText, { timeout: 10_000 }).toContain('Exec (succeeds)');
    await expect.poll(cardText, { timeout: 10_000 }).toContain('Site answers');

    // The canaries did go out: to the target in headers, query and body, and to the program.
    const sent = JSON.stringify(target.requests);
    expect(canariesIn(sent).sort()).toEqual(['AUTH', 'BODY_KEY', 'BODY_NOTE', 'HEADER', 'PROBE', 'QUERY'].sort());
    expect(target.requests.map((r) => r.status).sort()).toEqual([200, 400, 400]);
    // And what came back was recorded: the target's echo, masked.
    const results = (await timeline()).filter((entry) => entry.kind === 'action').map((entry) => entry.text).join('\n');
    expect(results).toMatch(/FAILED Block \(refused\).*HTTP 400 in .*\[redacted\]/);
    expect(results).toMatch(/FAILED Exec \(fails\).*exited 3 .*--target=\[redacted\]/);
    expect(results).toMatch(/OK Exec \(succeeds\).*exited 0 .*--target=\[redacted\]/);
    expect(cardText()).toContain('[redacted]');
  });

  it('keeps every canary off the Slack card and out of every Slack call', () => {
    expect(canariesIn(JSON.stringify(slack.messages(CHANNEL)))).toEqual([]);
    expect(canariesIn(JSON.stringify(slack.calls))).toEqual([]);
  });

  it('keeps every canary out of Redis: incidents, timelines, results, BullMQ jobs and the audit stream', async () => {
    const stored = await dumpRedis(redis, t.prefix);
    expect(stored).toContain(`${t.prefix}:audit:stream`);
    expect(stored).toContain('HTTP 400');
    expect(canariesIn(stored)).toEqual([]);
  });

  it('keeps every canary out of the log and the audit file', async () => {
    expect(t.rawLogs().length).toBeGreaterThan(0);
    expect(canariesIn(t.rawLogs())).toEqual([]);
    const file = t.config.audit.file;
    await expect.poll(() => existsSync(file) && readFileSync(file, 'utf8').includes('exec-succeeds'), { timeout: 15_000 }).toBe(true);
    expect(canariesIn(readFileSync(file, 'utf8'))).toEqual([]);
  });
});
