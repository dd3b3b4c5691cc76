import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerIncidentsExportRoute } from '../../../src/http/routes/incidents-export-route.js';
import { sendError } from '../../../src/http/send-error.js';
import { acknowledgeIncident } from '../../../src/incidents/acknowledge-incident.js';
import { webhookNotificationSchema } from '../../../src/incidents/alertmanager-schema.js';
import { closeIncident } from '../../../src/incidents/close-incident.js';
import { createIncidentStore } from '../../../src/incidents/create-incident-store.js';
import type { ResponseDeps } from '../../../src/response/response-deps.js';
import { moveIncidentPhase } from '../../../src/incidents/move-incident-phase.js';
import { listIncidents } from '../../../src/incidents/list-incidents.js';
import { recordNotification } from '../../../src/incidents/record-notifications.js';
import { createApprovalStore } from '../../../src/approvals/create-approval-store.js';
import { createQueues } from '../../../src/jobs/create-queues.js';
import { createJobWork } from '../../../src/jobs/create-job-work.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { buildNotification } from '../../support/build-notification.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { connectTestRedis, deleteKeys, randomSecret, uniquePrefix } from '../../support/test-redis.js';

const T = Date.parse('2026-11-20T10:00:00.000Z');
const HOUR = 3_600_000;

describe('GET /api/incidents (real Redis, real HTTP)', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('export');
  const keys = createRedisKeys(prefix);
  const queues = createQueues(redis, prefix);
  const store = createIncidentStore(redis, keys);
  const token = randomSecret(40);
  let app: FastifyInstance;
  let url = '';
  const opened: Record<string, string> = {};

  async function open(alertname: string, at: number): Promise<string> {
    const notification = webhookNotificationSchema.parse(buildNotification({ alertname, groupKey: `{}:{alertname="${alertname}"}` }));
    const { key } = await recordNotification(redis, prefix, notification, { destinations: ['slack:C0SEC'], playbook: 'default' }, at);
    return key;
  }
  const approvals = createApprovalStore(redis, keys);
  const operationsAt = (now: number): ResponseDeps => ({ store, work: createJobWork(queues), audit: createRecordingAuditLog(), now: () => now, actions: {}, approvals, approvalExpiryMs: 1_800_000 });

  beforeAll(async () => {
    // Oldest first: closed after 95 minutes, acknowledged after 4 m 10 s.
    opened.closed = await open('SuspiciousProcess', T);
    await acknowledgeIncident(operationsAt(T + 250_000), opened.closed, 'slack:U0OPS1');
    // Contained after 20 minutes; a later move back to isolate keeps the first time.
    await moveIncidentPhase(operationsAt(T + 20 * 60_000), opened.closed, 'isolate', 'slack:U0OPS1');
    await moveIncidentPhase(operationsAt(T + 30 * 60_000), opened.closed, 'analyze', 'slack:U0OPS1');
    await moveIncidentPhase(operationsAt(T + 40 * 60_000), opened.closed, 'isolate', 'slack:U0OPS1');
    await closeIncident(operationsAt(T + 95 * 60_000), opened.closed, 'slack:U0OPS2');
    // A title a spreadsheet would run, with a comma and quotes in it.
    opened.formula = await open('=HYPERLINK("http://evil.example","x")', T + HOUR);
    opened.open = await open('DiskFull', T + 2 * HOUR);

    app = Fastify({ logger: false });
    const logger = pino({ level: 'silent' });
    app.setErrorHandler((error, request, reply) => sendError(error, request, reply, logger));
    registerIncidentsExportRoute(app, { token, listIncidents: (options) => listIncidents(redis, keys, options) });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await app?.close();
    await queues.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  const get = (query = '', authorization: string | null = `Bearer ${token}`) =>
    fetch(`${url}/api/incidents${query}`, { headers: authorization === null ? {} : { authorization } });

  it('answers 401 without the token or with a wrong one, before reading anything', async () => {
    for (const authorization of [null, `Bearer ${token}x`, 'Bearer ', `Token ${token}`, `Basic ${Buffer.from(`u:${token.slice(1)}`).toString('base64')}`]) {
      // The token is checked first: a bad query without it is still a 401.
      const response = await get('?format=xml', authorization);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({ error: 'unauthorized', message: expect.stringContaining('Authorization') });
    }
    // The Basic password works like Alertmanager's basic_auth.
    expect((await get('', `Basic ${Buffer.from(`export:${token}`).toString('base64')}`)).status).toBe(200);
  });

  it('is off without a read token, and never takes the Alertmanager token', async () => {
    const off = Fastify({ logger: false });
    const logger = pino({ level: 'silent' });
    off.setErrorHandler((error, request, reply) => sendError(error, request, reply, logger));
    registerIncidentsExportRoute(off, { token: undefined, listIncidents: (options) => listIncidents(redis, keys, options) });
    const offUrl = await off.listen({ host: '127.0.0.1', port: 0 });
    try {
      for (const headers of [{}, { authorization: 'Bearer ' }, { authorization: `Bearer ${token}` }] as Record<string, string>[]) {
        const response = await fetch(`${offUrl}/api/incidents`, { headers });
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual({ error: 'unauthorized', message: expect.stringContaining('set api.readToken') });
      }
    } finally {
      await off.close();
    }
  });

  it('answers 400 naming the bad parameter', async () => {
    const cases: [string, RegExp][] = [
      ['?format=xml', /parameter format: must be json or csv/],
      ['?format=csv&format=json', /parameter format/],
      ['?since=yesterday', /parameter since: must be an ISO 8601 date or time/],
      ['?until=2026-13-40', /parameter until/],
      ['?since=2026-11-21&until=2026-11-20', /parameter until: must be after since/],
      ['?limit=0', /parameter limit: must be at least 1/],
      ['?limit=10001', /parameter limit: must be at most 10000/],
      ['?limit=ten', /parameter limit: must be a whole number/],
      ['?fromat=csv', /unknown query parameter fromat/],
    ];
    for (const [query, message] of cases) {
      const response = await get(query);
      expect(response.status, query).toBe(400);
      expect(await response.json()).toEqual({ error: 'invalid_query', message: expect.stringMatching(message) });
    }
  });

  it('exports JSON by default, newest first, with times and durations', async () => {
    const response = await get();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { incidents } = (await response.json()) as { incidents: Record<string, unknown>[] };
    expect(incidents.map((i) => i.key)).toEqual([opened.open, opened.formula, opened.closed]);
    expect(incidents[2]).toEqual({
      key: opened.closed,
      title: 'SuspiciousProcess',
      severity: 'critical',
      phase: 'closed',
      status: 'firing',
      opened: '2026-11-20T10:00:00.000Z',
      acknowledged: '2026-11-20T10:04:10.000Z',
      acknowledgedBy: 'slack:U0OPS1',
      resolved: null,
      closed: '2026-11-20T11:35:00.000Z',
      closedBy: 'slack:U0OPS2',
      timeToAcknowledgeSeconds: 250,
      timeToResolveSeconds: 5700,
      contained: '2026-11-20T10:20:00.000Z',
      timeToContainSeconds: 1200,
      lead: null,
    });
    expect(incidents[0]).toMatchObject({ phase: 'triage', acknowledged: null, closed: null, timeToAcknowledgeSeconds: null, timeToResolveSeconds: null, contained: null, timeToContainSeconds: null });
  });

  it('filters by when incidents opened (since inclusive, until exclusive) and limits', async () => {
    const keysOf = async (query: string) => ((await (await get(query)).json()) as { incidents: { key: string }[] }).incidents.map((i) => i.key);
    expect(await keysOf('?since=2026-11-20T11:00:00Z')).toEqual([opened.open, opened.formula]);
    expect(await keysOf('?until=2026-11-20T11:00:00Z')).toEqual([opened.closed]);
    expect(await keysOf('?since=2026-11-20T10:00:00Z&until=2026-11-20T12:00:00%2B00:00')).toEqual([opened.formula, opened.closed]);
    expect(await keysOf('?since=2026-11-21')).toEqual([]);
    expect(await keysOf('?limit=2')).toEqual([opened.open, opened.formula]);
  });

  it('exports RFC 4180 CSV as an attachment, with formulas neutralised', async () => {
    const response = await get('?format=csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="incidents.csv"');
    const csv = await response.text();
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
    expect(lines[0]).toBe('key,title,severity,phase,status,opened,acknowledged,acknowledgedBy,resolved,closed,closedBy,timeToAcknowledgeSeconds,timeToResolveSeconds,contained,timeToContainSeconds,lead');
    expect(lines[1]).toBe(`${opened.open},DiskFull,critical,triage,firing,2026-11-20T12:00:00.000Z,,,,,,,,,,`);
    expect(lines[2]).toBe(`${opened.formula},"'=HYPERLINK(""http://evil.example"",""x"")",critical,triage,firing,2026-11-20T11:00:00.000Z,,,,,,,,,,`);
    expect(lines[3]).toBe(
      `${opened.closed},SuspiciousProcess,critical,closed,firing,2026-11-20T10:00:00.000Z,2026-11-20T10:04:10.000Z,slack:U0OPS1,,2026-11-20T11:35:00.000Z,slack:U0OPS2,250,5700,2026-11-20T10:20:00.000Z,1200,`,
    );
  });

  it('answers 503 store_unavailable, not a 500, when Redis cannot be reached', async () => {
    const closed = connectTestRedis();
    await closed.quit();
    const other = Fastify({ logger: false });
    const logger = pino({ level: 'silent' });
    other.setErrorHandler((error, request, reply) => sendError(error, request, reply, logger));
    registerIncidentsExportRoute(other, { token, listIncidents: (options) => listIncidents(closed, keys, options) });
    const otherUrl = await other.listen({ host: '127.0.0.1', port: 0 });
    try {
      const response = await fetch(`${otherUrl}/api/incidents`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ error: 'store_unavailable', message: 'Redis is unavailable; try again shortly' });
    } finally {
      await other.close();
    }
  });
});
