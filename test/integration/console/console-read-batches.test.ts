import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApprovalStore } from '../../../src/approvals/create-approval-store.js';
import { createRunStore } from '../../../src/checklists/create-run-store.js';
import { webhookNotificationSchema } from '../../../src/incidents/alertmanager-schema.js';
import { createIncidentStore } from '../../../src/incidents/create-incident-store.js';
import { listIncidents, type ListIncidentsOptions } from '../../../src/incidents/list-incidents.js';
import { recordNotification } from '../../../src/incidents/record-notifications.js';
import type { Incident } from '../../../src/model/incident.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import type { ConsoleDeps, ConsoleReadLimits } from '../../../src/web-console/console-deps.js';
import { readResponseMetrics } from '../../../src/web-console/read-response-metrics.js';
import { registerConsoleRoutes } from '../../../src/web-console/register-console-routes.js';
import { summarizeResponseMetrics } from '../../../src/web-console/summarize-response-metrics.js';
import { buildNotification } from '../../support/build-notification.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { buildTestConfig } from '../../support/start-test-warden.js';
import { connectTestRedis, deleteKeys, randomSecret, uniquePrefix } from '../../support/test-redis.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const HOUR = 3_600_000;
const MIN = 60_000;
/** More incidents than several batches of 10; three of them opened in the same millisecond. */
const COUNT = 27;
const TIED = new Set([20, 21, 22]);

/**
 * The console's list and metrics over more incidents than one read batch (real Redis, the real
 * routes through Fastify's inject, tiny read limits): every incident counted and listed once.
 */
describe('web console: list and metrics read in batches (real Redis)', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('console-batches');
  const keys = createRedisKeys(prefix);
  const store = createIncidentStore(redis, keys);
  const config = buildTestConfig({
    server: { port: 0, trustedProxies: ['127.0.0.1'] },
    redis: { prefix },
    alertmanager: { token: randomSecret(40) },
    console: { enabled: true },
    routes: [{ name: 'security', match: { severity: 'critical' }, to: ['slack:C0SEC'] }, { name: 'ops', to: ['slack:C0OPS'] }],
    access: { people: { alice: ['email:alice@example.com'] }, groups: { viewers: ['alice'] }, permissions: { 'console.view': ['viewers'] } },
  });
  const list = (options?: ListIncidentsOptions) => listIncidents(redis, keys, options);
  const apps: FastifyInstance[] = [];
  /** Every incident, newest first, read in one go (the reference). */
  let all: Incident[] = [];

  async function startConsole(readLimits: ConsoleReadLimits): Promise<FastifyInstance> {
    const app = Fastify({ logger: false });
    const deps: ConsoleDeps = {
      config,
      redis,
      keys,
      store,
      listIncidents: list,
      approvals: createApprovalStore(redis, keys),
      runs: createRunStore(redis, keys),
      checklists: new Map(),
      audit: createRecordingAuditLog(),
      auditStatus: async () => {
        throw new Error('not read here');
      },
      linkHosts: [],
      logger: pino({ level: 'silent' }),
      now: () => NOW,
      readLimits,
    };
    registerConsoleRoutes(app, deps);
    await app.ready();
    apps.push(app);
    return app;
  }

  const get = (app: FastifyInstance, url: string) => app.inject({ method: 'GET', url, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-email': 'alice@example.com' } });
  const keysOn = (page: string) => [...page.matchAll(/<td><a href="\/console\/incidents\/(inc-[^"]+)">/g)].map((match) => match[1]!);
  const olderLink = (page: string) => /<a href="([^"]+)" rel="next">Older incidents<\/a>/.exec(page)?.[1]?.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

  /** Follows "Older incidents" from `url` to the last page: the keys of every page, and each page's HTML. */
  async function walk(app: FastifyInstance, url: string): Promise<{ keys: string[][]; pages: string[] }> {
    const pages: string[] = [];
    for (let next: string | undefined = url; next !== undefined && pages.length < 50; ) {
      const response = await get(app, next);
      expect(response.statusCode).toBe(200);
      pages.push(response.body);
      next = olderLink(response.body);
    }
    return { keys: pages.map(keysOn), pages };
  }

  beforeAll(async () => {
    for (let i = 0; i < COUNT; i++) {
      const alertname = `Batch${i}`;
      const notification = webhookNotificationSchema.parse(buildNotification({ alertname, severity: i % 3 === 0 ? 'warning' : 'critical', groupKey: `{}:{alertname="${alertname}"}` }));
      const openedAt = NOW - (TIED.has(i) ? 20 : i) * 13 * HOUR;
      const { key } = await recordNotification(redis, prefix, notification, { destinations: ['slack:C0SEC'], playbook: 'default' }, openedAt);
      const set: Partial<Incident> = {};
      if (i % 2 === 0) Object.assign(set, { acknowledgedAt: openedAt + (i + 1) * MIN, acknowledgedBy: 'slack:U0OPS1' });
      if (i % 4 === 0) Object.assign(set, { phase: 'closed', closedAt: openedAt + 7 * i * MIN, closedBy: 'slack:U0OPS1' });
      if (i % 5 === 0) Object.assign(set, { containedAt: openedAt + 3 * i * MIN });
      if (Object.keys(set).length > 0) expect((await store.patch(key, { set }, openedAt + HOUR)).outcome).toBe('applied');
    }
    all = await list({ limit: 1000 });
    expect(all).toHaveLength(COUNT);
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('listIncidents continues after a cursor, through incidents of the same millisecond, to the same order as one read', async () => {
    const keysRead: string[] = [];
    let after: Incident | undefined;
    for (let calls = 0; calls < 30; calls++) {
      const batch = await list({ limit: 2, ...(after ? { after: { openedAt: after.openedAt, key: after.key } } : {}) });
      keysRead.push(...batch.map((incident) => incident.key));
      if (batch.length < 2) break;
      after = batch.at(-1);
    }
    expect(keysRead).toEqual(all.map((incident) => incident.key));
    // Same-millisecond incidents follow one another by key, descending.
    const tied = all.filter((incident) => incident.openedAt === NOW - 20 * 13 * HOUR).map((incident) => incident.key);
    expect(tied).toHaveLength(3);
    expect(tied).toEqual([...tied].sort().reverse());
    const middle = await list({ after: { openedAt: NOW - 20 * 13 * HOUR, key: tied[0]! }, limit: 2 });
    expect(middle.map((incident) => incident.key)).toEqual(tied.slice(1));
    // With a window: after a cursor past `until`, from `until` down.
    const windowed = await list({ since: NOW - 5 * 13 * HOUR, until: NOW - 2 * 13 * HOUR, after: { openedAt: NOW, key: 'inc-ffffffffffff' } });
    expect(windowed.map((incident) => incident.openedAt)).toEqual([3, 4, 5].map((i) => NOW - i * 13 * HOUR));
  });

  it('computes the metrics batch by batch exactly as over all the incidents at once', async () => {
    const app = await startConsole({ batch: 10 });
    for (const weeks of [4, 12]) {
      const response = await get(app, `/console/metrics.json?weeks=${weeks}`);
      expect(response.statusCode).toBe(200);
      const { coverage, ...metrics } = response.json();
      expect(metrics).toEqual(summarizeResponseMetrics(all, NOW, weeks));
      expect(coverage).toEqual({ read: COUNT, complete: true });
    }
    const reference = summarizeResponseMetrics(all, NOW, 4);
    expect(reference.rows.reduce((sum, row) => sum + row.incidents, 0)).toBe(COUNT);
    expect(reference.rows.some((row) => row.mtta !== null && row.mttr !== null && row.mttc !== null)).toBe(true);
    // A limit on the read is stated, not hidden.
    const capped = await readResponseMetrics(list, NOW, 4, { batch: 10, metricsMaxRead: 15 });
    expect(capped.coverage).toEqual({ read: 15, complete: false, stoppedAt: all[14]!.openedAt });
    expect(capped.rows.reduce((sum, row) => sum + row.incidents, 0)).toBe(15);
    const exact = await readResponseMetrics(list, NOW, 4, { batch: 9, metricsMaxRead: COUNT });
    expect(exact.coverage).toEqual({ read: COUNT, complete: true });
    const page = (await get(await startConsole({ batch: 10, metricsMaxRead: 15 }), '/console/metrics')).body;
    expect(page).toContain('These weeks hold more incidents than one request reads (15): the figures cover the newest 15');
  });

  it('pages through every incident exactly once, newest first, across batches and the same millisecond', async () => {
    const app = await startConsole({ batch: 10, pageSize: 4, listMaxRead: 1000 });
    const { keys: pages, pages: html } = await walk(app, '/console/incidents');
    expect(pages.slice(0, -1).every((page) => page.length === 4)).toBe(true);
    expect(pages.flat()).toEqual(all.map((incident) => incident.key));
    expect(html[0]).toContain(`${COUNT} incidents match; the newest 4 are shown`);
    expect(html[1]).toContain(`${COUNT - 4} incidents match older than the previous page`);
    expect(html[1]).toContain('<a href="/console/incidents">Newest incidents</a>');
    expect(html[0]).not.toContain('Newest incidents');
  });

  it('applies the filters across batch boundaries and keeps them in the Older link', async () => {
    const app = await startConsole({ batch: 10, pageSize: 3, listMaxRead: 1000 });
    const expected = all.filter((incident) => incident.severity === 'warning').map((incident) => incident.key);
    expect(expected.length).toBeGreaterThan(6);
    const { keys: pages, pages: html } = await walk(app, '/console/incidents?severity=warning');
    expect(pages.flat()).toEqual(expected);
    expect(html[0]).toContain(`${expected.length} incidents match;`);
    expect(olderLink(html[0]!)).toMatch(/^\/console\/incidents\?severity=warning&after=\d+\.inc-/);
    const since = new Date(NOW - 8 * 86_400_000).toISOString().slice(0, 10);
    const open = all.filter((incident) => incident.phase !== 'closed' && incident.openedAt >= Date.parse(since) && incident.title.includes('Batch1')).map((incident) => incident.key);
    expect(open.length).toBeGreaterThan(3);
    expect((await walk(app, `/console/incidents?status=open&since=${since}&q=batch1`)).keys.flat()).toEqual(open);
  });

  it('says when a request reached its read limit, and the next page goes on from where it stopped', async () => {
    const app = await startConsole({ batch: 10, pageSize: 5, listMaxRead: 12 });
    const expected = all.filter((incident) => incident.severity === 'warning').map((incident) => incident.key);
    const { keys: pages, pages: html } = await walk(app, '/console/incidents?severity=warning');
    expect(pages.flat()).toEqual(expected);
    expect(html[0]).toMatch(/At least 4 incidents match: this request stopped at its limit of 12 incidents read, at those opened <time[^>]*>[^<]+<\/time>; 4 are shown\. The next page goes on from where it stopped\./);
    // The last page read to the end of the window: an exact count again, and no Older link.
    expect(html.at(-1)).toMatch(/\d+ incidents? match(es)? older than the previous page/);
    expect(olderLink(html.at(-1)!)).toBeUndefined();
  });

  it('answers a malformed cursor with a clear 400 page', async () => {
    const app = await startConsole({ batch: 10 });
    for (const after of ['abc', '123.inc-zz', `${NOW}.inc-0123456789ab.x`, '-5.inc-0123456789ab', '1.2.3']) {
      const response = await get(app, `/console/incidents?after=${encodeURIComponent(after)}`);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('Bad request');
      expect(response.body).toContain('the &#34;after&#34; parameter of this link is malformed');
    }
    expect((await get(app, '/console/incidents?after=1&after=2')).statusCode).toBe(400);
    // A well-formed cursor of an incident that is gone still pages from its place.
    const gone = await get(app, `/console/incidents?after=${all[3]!.openedAt}.inc-000000000000`);
    expect(gone.statusCode).toBe(200);
    expect(keysOn(gone.body)[0]).toBe(all[4]!.key);
  });
});
