import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSilenceApi } from '../../../src/silences/create-silence-api.js';
import { resolveAlertmanagerApi } from '../../../src/silences/resolve-alertmanager-api.js';
import { createSecretScrubber } from '../../../src/observability/scrub-secrets.js';
import { readBody, startFakeHttpServer, type FakeHttpServer } from '../../support/fake-http-server.js';
import { startAlertmanager, type TestAlertmanager } from '../../support/start-alertmanager.js';
import { findFreePort } from '../../support/start-redis-server.js';

const PASSWORD = 'am-Passw0rd-for-tests';

describe('resolveAlertmanagerApi', () => {
  it('prefers apiUrl, turns credentials into a Basic header and keeps them out of the base', () => {
    expect(resolveAlertmanagerApi(`http://warden:${PASSWORD}@127.0.0.1:9093/am/?token=abc`, 'http://am.example:9093')).toEqual({
      base: 'http://127.0.0.1:9093/am',
      authorization: `Basic ${Buffer.from(`warden:${PASSWORD}`).toString('base64')}`,
    });
    expect(resolveAlertmanagerApi(undefined, 'http://am.example:9093/')).toEqual({ base: 'http://am.example:9093' });
  });

  it('says how to fix a missing or unusable address', () => {
    expect(() => resolveAlertmanagerApi(undefined, '')).toThrow(/set alertmanager\.apiUrl/);
    expect(() => resolveAlertmanagerApi(undefined, 'file:///etc/passwd')).toThrow(/not an http\(s\) URL; set alertmanager\.apiUrl/);
  });
});

describe('createSilenceApi', () => {
  let server: FakeHttpServer;
  const seen: { method: string; url: string; authorization?: string; body: string }[] = [];
  let answer: { status: number; body: string } = { status: 200, body: '{"silenceID":"abc-123"}' };

  beforeAll(async () => {
    server = await startFakeHttpServer(async (request, response) => {
      seen.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization, body: await readBody(request) });
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  afterAll(() => server?.close());

  const api = () => createSilenceApi(resolveAlertmanagerApi(`http://warden:${PASSWORD}@127.0.0.1:${server.port}`, undefined), { scrub: createSecretScrubber([PASSWORD]) });

  it('sends the Basic credentials of apiUrl and returns the silenceID', async () => {
    answer = { status: 200, body: '{"silenceID":"abc-123"}' };
    const id = await api().create({ matchers: [{ name: 'alertname', value: 'X', isEqual: true, isRegex: false }], startsAt: '2026-11-20T10:00:00Z', endsAt: '2026-11-20T12:00:00Z', createdBy: 'ops', comment: 'c' });
    expect(id).toBe('abc-123');
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/api/v2/silences', authorization: `Basic ${Buffer.from(`warden:${PASSWORD}`).toString('base64')}` });
    expect(JSON.parse(seen.at(-1)!.body)).toMatchObject({ createdBy: 'ops', matchers: [{ name: 'alertname', value: 'X', isEqual: true, isRegex: false }] });
  });

  it('a 400 is permanent and says what Alertmanager said, never the password', async () => {
    answer = { status: 400, body: `"bad matcher; you sent ${PASSWORD}"` };
    const error = await api().create({ matchers: [], startsAt: '', endsAt: '', createdBy: 'ops', comment: '' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'alertmanager_rejected', retryable: false });
    expect((error as Error).message).toContain(`Alertmanager at http://127.0.0.1:${server.port} refused the silence: HTTP 400`);
    expect((error as Error).message).not.toContain(PASSWORD);
  });

  it('a 503 and a refused connection are transient, named by address without credentials', async () => {
    answer = { status: 503, body: 'starting' };
    await expect(api().expire('abc-123')).rejects.toMatchObject({ code: 'alertmanager_unavailable', retryable: true });
    const closed = await findFreePort();
    const unreachable = createSilenceApi(resolveAlertmanagerApi(`http://warden:${PASSWORD}@127.0.0.1:${closed}`, undefined));
    const error = (await unreachable.get('abc-123').catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'alertmanager_unavailable' });
    expect(error.message).toBe(`Alertmanager unreachable at http://127.0.0.1:${closed}: connection refused`);
  });

  it('something that is not Alertmanager is a permanent refusal; a forged id is never put in a path', async () => {
    answer = { status: 200, body: '<html>login</html>' };
    await expect(api().list([])).rejects.toMatchObject({ code: 'alertmanager_rejected', message: expect.stringContaining("is this Alertmanager's address?") });
    await expect(api().get('../../api/v2/alerts')).rejects.toMatchObject({ code: 'alertmanager_rejected' });
  });
});

describe('createSilenceApi against the real Alertmanager', () => {
  let am: TestAlertmanager;
  beforeAll(async () => {
    am = await startAlertmanager({ webhookUrl: 'http://127.0.0.1:9/unused', token: 'x'.repeat(32) });
  }, 60_000);
  afterAll(() => am?.stop());

  it('creates, finds, gets and expires a silence; an expired or unknown one reads as such', async () => {
    const api = createSilenceApi(resolveAlertmanagerApi(am.url, undefined));
    const now = Date.now();
    const matchers = [{ name: 'alertname', value: 'ApiTest', isEqual: true, isRegex: false }];
    const id = await api.create({ matchers, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(), createdBy: 'ops', comment: 'inc-1 [warden request r1]' });
    expect((await api.list(['alertname="ApiTest"'])).map((s) => s.id)).toEqual([id]);
    expect(await api.list(['alertname="Other"'])).toEqual([]);
    expect((await api.get(id))!.status.state).toBe('active');
    await api.expire(id);
    expect((await api.get(id))!.status.state).toBe('expired');
    expect(await api.get('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    await expect(api.create({ matchers: [], startsAt: new Date(now).toISOString(), endsAt: new Date(now + 60_000).toISOString(), createdBy: 'ops', comment: 'x' })).rejects.toMatchObject({ code: 'alertmanager_rejected' });
  }, 30_000);
});
