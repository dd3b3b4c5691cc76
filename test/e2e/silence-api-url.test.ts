import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNotification, postNotification } from '../support/build-notification.js';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api.js';
import { buildSlackButtonClick, postSignedSlackRequest } from '../support/signed-slack-request.js';
import { startAlertmanager, type TestAlertmanager } from '../support/start-alertmanager.js';
import { startTestWarden, type TestWarden } from '../support/start-test-warden.js';
import { connectTestRedis, randomSecret } from '../support/test-redis.js';

/**
 * `alertmanager.apiUrl` with credentials, from the environment: Warden reaches Alertmanager through
 * a reverse proxy that wants Basic auth (the notifications' externalURL names a host Warden cannot
 * reach), and the password shows up nowhere — logs, job data, Redis, cards, the audit log.
 */
describe('silences through alertmanager.apiUrl with credentials', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  const password = `am-${randomSecret(24)}`;
  let slack: FakeSlackApi;
  let am: TestAlertmanager;
  let proxy: Server;
  const proxied: { authorized: boolean; path: string }[] = [];
  let t: TestWarden;

  beforeAll(async () => {
    slack = await startFakeSlackApi({ botToken });
    am = await startAlertmanager({ webhookUrl: 'http://127.0.0.1:9/unused', token: randomSecret(32) });
    const target = new URL(am.url);
    const expected = `Basic ${Buffer.from(`warden:${password}`).toString('base64')}`;
    proxy = createServer((req, res) => {
      const authorized = req.headers.authorization === expected;
      proxied.push({ authorized, path: req.url ?? '' });
      if (!authorized) return void res.writeHead(401, { 'www-authenticate': 'Basic' }).end('login required');
      const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { 'content-type': req.headers['content-type'] ?? 'application/json' } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => proxy.once('listening', resolve));
    t = await startTestWarden({
      name: 'silence-api-url',
      env: { SLACK_SIGNING_SECRET: signingSecret, SLACK_BOT_TOKEN: botToken, AM_PASSWORD: password },
      tree: {
        slack: { signingSecret: '${SLACK_SIGNING_SECRET}', botToken: '${SLACK_BOT_TOKEN}', apiUrl: slack.url },
        alertmanager: { apiUrl: `http://warden:\${AM_PASSWORD}@127.0.0.1:${(proxy.address() as AddressInfo).port}/` },
        routes: [{ to: ['slack:C0SEC'] }],
        access: { groups: { operators: ['slack:U0OPS1'] }, permissions: { 'incident.respond': ['operators'] } },
        limits: { outbound: { slackPerChannelPerSecond: 50 } },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await t?.dispose();
    await am?.stop();
    proxy?.close();
    await slack?.close();
  });

  it('silences through the proxy with Basic auth and never shows the password', async () => {
    // The notification names an Alertmanager Warden cannot reach: apiUrl is used instead.
    const posted = await postNotification(t.url, t.token, { ...buildNotification({ alertname: 'ThroughProxy' }), externalURL: 'http://alertmanager.invalid:9093' });
    const key = posted.body.incident as string;
    await slack.waitFor(() => slack.messages('C0SEC').length === 1, 10_000);
    const card = () => JSON.stringify(slack.messages('C0SEC')[0]!.blocks);
    await postSignedSlackRequest({
      url: t.url,
      signingSecret,
      body: buildSlackButtonClick({ user: 'U0OPS1', actionId: 'incident.silence', value: JSON.stringify({ k: key }), channel: 'C0SEC', messageTs: slack.messages('C0SEC')[0]!.ts, triggerId: 'trigger-proxy', actionTs: '1700000002.000001' }),
    });
    await expect.poll(card, { timeout: 15_000 }).toContain('Silenced in Alertmanager until');
    const silences = (await (await fetch(`${am.url}/api/v2/silences`)).json()) as { comment: string; status: { state: string } }[];
    expect(silences.filter((s) => s.comment.includes(key)).map((s) => s.status.state)).toEqual(['active']);
    expect(proxied.length).toBeGreaterThan(0);
    expect(proxied.every((p) => p.authorized)).toBe(true);
    // The card links to the externalURL's UI, never to the API address.
    expect(card()).toContain('http://alertmanager.invalid:9093/#/silences/new');

    await expect.poll(async () => Object.values(await t.warden.queues.silences.getJobCounts('waiting', 'active')).reduce((a, b) => a + b, 0), { timeout: 15_000 }).toBe(0);
    const jobs = await t.warden.queues.silences.getJobs(['completed', 'failed'], 0, 100);
    expect(jobs.length).toBeGreaterThan(0);
    const redis = connectTestRedis();
    try {
      const keys = await redis.keys(`${t.prefix}:*`);
      for (const k of keys) {
        const type = await redis.type(k);
        const dump = type === 'string' ? await redis.get(k) : type === 'hash' ? JSON.stringify(await redis.hgetall(k)) : type === 'list' ? JSON.stringify(await redis.lrange(k, 0, -1)) : type === 'stream' ? JSON.stringify(await redis.xrange(k, '-', '+')) : type === 'zset' ? JSON.stringify(await redis.zrange(k, '0', '-1')) : '';
        expect(dump ?? '', k).not.toContain(password);
      }
    } finally {
      redis.disconnect();
    }
    expect(t.rawLogs()).not.toContain(password);
    expect(JSON.stringify(slack.calls)).not.toContain(password);
  }, 60_000);
});
