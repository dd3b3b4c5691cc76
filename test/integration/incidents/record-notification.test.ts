import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookNotificationSchema, type WebhookNotification } from '../../../src/incidents/alertmanager-schema.js';
import { buildIncidentKey } from '../../../src/incidents/build-incident-key.js';
import { createIncidentStore, type IncidentStore } from '../../../src/incidents/create-incident-store.js';
import type { Incident } from '../../../src/model/incident.js';
import type { Routing } from '../../../src/incidents/match-route.js';
import { patchIncident } from '../../../src/incidents/patch-incident.js';
import { recordNotification } from '../../../src/incidents/record-notifications.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { connectTestRedis, deleteKeys, listKeys, uniquePrefix } from '../../support/test-redis.js';

const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const NO_END = '0001-01-01T00:00:00Z';
const at = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;
const routing: Routing = { destinations: ['slack:C0SEC', 'lark:oc_sec'], playbook: 'abnormal-access' };

interface AlertSpec {
  fingerprint: string;
  status: 'firing' | 'resolved';
  startsAt: number;
  endsAt?: number;
  annotations?: Record<string, string>;
}

function notification(groupKey: string, alerts: AlertSpec[]): WebhookNotification {
  return webhookNotificationSchema.parse({
    version: '4',
    groupKey,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'warden',
    groupLabels: { alertname: 'SuspiciousProcess' },
    commonLabels: { alertname: 'SuspiciousProcess', severity: 'critical' },
    externalURL: 'http://alertmanager:9093',
    alerts: alerts.map((a) => ({
      status: a.status,
      labels: { alertname: 'SuspiciousProcess', severity: 'critical', instance: `${a.fingerprint}:9100` },
      annotations: a.annotations ?? { summary: `process on ${a.fingerprint}` },
      startsAt: at(a.startsAt),
      endsAt: a.endsAt === undefined ? NO_END : at(a.endsAt),
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: a.fingerprint,
    })),
  });
}

const firing = (fingerprint: string, startsAt = T0): AlertSpec => ({ fingerprint, status: 'firing', startsAt });
const resolved = (fingerprint: string, endsAt: number, startsAt = T0): AlertSpec => ({ fingerprint, status: 'resolved', startsAt, endsAt });

describe('recordNotification (real Redis)', () => {
  let redis: Redis;
  const prefix = uniquePrefix('record');
  const keys = createRedisKeys(prefix);
  let store: IncidentStore;
  let groups = 0;
  const newGroup = () => `{}/{severity="critical"}:{alertname="SuspiciousProcess",n="${++groups}"}`;

  const record = (n: WebhookNotification, now: number) => recordNotification(redis, prefix, n, routing, now);
  const incident = async (key: string): Promise<Incident> => {
    const found = await store.get(key);
    if (!found) throw new Error(`no incident ${key}`);
    return found;
  };
  const timelineLength = (key: string) => redis.llen(keys.timeline(key));
  /** The incident's jobs still owed (what the dispatch job reads): its version and destinations, or nothing. */
  const owed = async (groupKey: string) => (await store.listUndispatched([groupKey])).map(({ key, version, destinations }) => ({ key, version, destinations }));
  const storedAlert = async (key: string, fingerprint: string) => {
    const view = await store.view(key);
    return view?.alerts.find((a) => a.fingerprint === fingerprint);
  };

  beforeAll(() => {
    redis = connectTestRedis();
    store = createIncidentStore(redis, keys);
  });
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('follows a group from opening to resolution and back, changing only on real changes', async () => {
    const groupKey = newGroup();
    const key = buildIncidentKey(groupKey);
    const opened = T0 + 1000;

    // Created.
    const first = notification(groupKey, [firing('a'), firing('b', T0 + 30_000)]);
    expect(await record(first, opened)).toEqual({ outcome: 'created', key, version: 1 });
    expect(await owed(groupKey)).toEqual([{ key, version: 1, destinations: routing.destinations }]);
    expect(await incident(key)).toMatchObject({
      key,
      groupKey,
      title: 'SuspiciousProcess',
      severity: 'critical',
      phase: 'triage',
      status: 'firing',
      firing: 2,
      resolved: 0,
      destinations: routing.destinations,
      playbook: 'abnormal-access',
      openedAt: opened,
      updatedAt: opened,
      version: 1,
    });
    expect(await redis.hget(keys.openIncidents, groupKey)).toBe(key);
    expect(Number(await redis.zscore(keys.incidentIndex, key))).toBe(opened);
    expect(await store.timeline(key)).toEqual([{ at: opened, kind: 'opened', text: 'Opened by Alertmanager: 2 alerts firing' }]);

    // A redelivery changes nothing; its jobs are still owed until confirmed.
    expect(await record(first, opened + 5000)).toEqual({ outcome: 'unchanged', key, version: 1 });
    expect(await owed(groupKey)).toEqual([{ key, version: 1, destinations: routing.destinations }]);
    expect((await incident(key)).updatedAt).toBe(opened);
    expect(await timelineLength(key)).toBe(1);
    await store.confirmJobs([{ key, version: 1 }]);
    expect(await record(first, opened + 6000)).toEqual({ outcome: 'unchanged', key, version: 1 });
    expect(await owed(groupKey)).toEqual([]);

    // An alert joins.
    const joined = notification(groupKey, [firing('a'), firing('b', T0 + 30_000), firing('c', T0 + MIN)]);
    expect(await record(joined, T0 + 2 * MIN)).toEqual({ outcome: 'updated', key, version: 2 });
    expect(await owed(groupKey)).toEqual([{ key, version: 2, destinations: routing.destinations }]);
    expect(await incident(key)).toMatchObject({ firing: 3, resolved: 0, status: 'firing', version: 2, updatedAt: T0 + 2 * MIN });
    expect((await store.timeline(key)).at(-1)).toEqual({ at: T0 + 2 * MIN, kind: 'alerts', text: '1 alert joined the group' });
    await store.confirmJobs([{ key, version: 2 }]);

    // One alert resolves.
    const oneResolved = notification(groupKey, [resolved('a', T0 + 10 * MIN), firing('b', T0 + 30_000), firing('c', T0 + MIN)]);
    expect(await record(oneResolved, T0 + 11 * MIN)).toMatchObject({ outcome: 'updated', version: 3 });
    expect(await owed(groupKey)).toEqual([{ key, version: 3, destinations: routing.destinations }]);
    expect(await incident(key)).toMatchObject({ firing: 2, resolved: 1, status: 'firing' });
    expect((await store.timeline(key)).at(-1)?.text).toBe('1 alert resolved at the source');
    await store.confirmJobs([{ key, version: 3 }]);
    const length = await timelineLength(key);

    // A lagging peer still sends the old firing copy of the resolved alert: ignored.
    expect(await record(notification(groupKey, [firing('a'), firing('b', T0 + 30_000)]), T0 + 12 * MIN)).toEqual({
      outcome: 'unchanged',
      key,
      version: 3,
    });
    expect(await owed(groupKey)).toEqual([]);
    expect((await storedAlert(key, 'a'))?.status).toBe('resolved');

    // Two peers stamp a slightly different startsAt on the same firing alert: no new version.
    expect(await record(notification(groupKey, [firing('b', T0 + 30_007), firing('c', T0 + MIN - 3)]), T0 + 12 * MIN)).toMatchObject({
      outcome: 'unchanged',
      version: 3,
    });
    expect(await timelineLength(key)).toBe(length);

    // Everything resolves: the source status changes, the incident stays open for the responders.
    const allResolved = notification(groupKey, [resolved('a', T0 + 10 * MIN), resolved('b', T0 + 13 * MIN, T0 + 30_000), resolved('c', T0 + 13 * MIN, T0 + MIN)]);
    expect(await record(allResolved, T0 + 14 * MIN)).toMatchObject({ outcome: 'updated', version: 4 });
    expect(await owed(groupKey)).toEqual([{ key, version: 4, destinations: routing.destinations }]);
    expect(await incident(key)).toMatchObject({ status: 'resolved', resolvedAt: T0 + 14 * MIN, phase: 'triage', firing: 0, resolved: 3 });
    expect(await redis.hget(keys.openIncidents, groupKey)).toBe(key);
    expect((await store.timeline(key)).slice(-2).map((e) => e.text)).toEqual([
      '2 alerts resolved at the source',
      'The source reports every alert of the group resolved',
    ]);

    // It fires again, starting after the stored resolution ended.
    expect(await record(notification(groupKey, [firing('a', T0 + 20 * MIN)]), T0 + 20 * MIN)).toMatchObject({ outcome: 'updated', version: 5 });
    expect(await owed(groupKey)).toEqual([{ key, version: 5, destinations: routing.destinations }]);
    const refired = await incident(key);
    expect(refired).toMatchObject({ status: 'firing', firing: 1, resolved: 2 });
    expect(refired.resolvedAt).toBeUndefined();
    expect((await store.timeline(key)).at(-1)?.text).toBe('1 alert firing again');

    // A late copy of the earlier resolution (it ended before the new start) cannot undo that.
    expect(await record(notification(groupKey, [resolved('a', T0 + 10 * MIN)]), T0 + 21 * MIN)).toMatchObject({ outcome: 'unchanged', version: 5 });
    expect((await storedAlert(key, 'a'))?.status).toBe('firing');

    // Jobs stay owed until confirmed for this version, however often it is delivered again.
    expect(await record(notification(groupKey, [firing('a', T0 + 20 * MIN)]), T0 + 22 * MIN)).toMatchObject({ outcome: 'unchanged', version: 5 });
    expect(await owed(groupKey)).toEqual([{ key, version: 5, destinations: routing.destinations }]);
    await store.confirmJobs([{ key, version: 5 }]);
    expect(await record(notification(groupKey, [firing('a', T0 + 20 * MIN)]), T0 + 22 * MIN)).toMatchObject({ outcome: 'unchanged', version: 5 });
    expect(await owed(groupKey)).toEqual([]);
    expect(await store.countOpen()).toBeGreaterThanOrEqual(1);
  });

  it('ignores a resolved-only notification for a group without an open incident, storing nothing', async () => {
    const lonely = uniquePrefix('record-ignored');
    const n = notification(newGroup(), [resolved('a', T0 + MIN), resolved('b', T0 + MIN)]);
    expect(await recordNotification(redis, lonely, n, routing, T0)).toEqual({ outcome: 'ignored', key: '', version: 0 });
    expect(await listKeys(redis, lonely)).toEqual([]);
  });

  it('counts resolved alerts that join an open incident', async () => {
    const groupKey = newGroup();
    const { key } = await record(notification(groupKey, [firing('a')]), T0);
    expect(await record(notification(groupKey, [firing('a'), resolved('z', T0 + MIN)]), T0 + MIN)).toMatchObject({ outcome: 'updated', version: 2 });
    expect(await incident(key)).toMatchObject({ firing: 1, resolved: 1, status: 'firing' });
  });

  it('takes an annotation-only change as unchanged, like Alertmanager, and shows it with the next real change', async () => {
    const groupKey = newGroup();
    const { key } = await record(notification(groupKey, [firing('a'), firing('b')]), T0);
    const length = await timelineLength(key);
    const edited = notification(groupKey, [{ ...firing('a'), annotations: { summary: 'now also writing to /etc' } }, firing('b')]);
    expect(await record(edited, T0 + MIN)).toMatchObject({ outcome: 'unchanged', key, version: 1 });
    expect(await timelineLength(key)).toBe(length);

    const joined = notification(groupKey, [{ ...firing('a'), annotations: { summary: 'now also writing to /etc' } }, firing('b'), firing('c')]);
    expect(await record(joined, T0 + 2 * MIN)).toMatchObject({ outcome: 'updated', version: 2 });
    expect((await storedAlert(key, 'a'))?.annotations).toEqual({ summary: 'now also writing to /etc' });
    expect(await incident(key)).toMatchObject({ firing: 3, resolved: 0 });
  });

  it('keeps alerts that later notifications leave out, with their state', async () => {
    const groupKey = newGroup();
    const { key } = await record(notification(groupKey, [firing('a'), firing('b')]), T0);
    await record(notification(groupKey, [firing('b'), firing('c')]), T0 + MIN);
    const view = await store.view(key);
    expect(view?.alerts.map((a) => a.fingerprint).sort()).toEqual(['a', 'b', 'c']);
    expect(view?.alerts.find((a) => a.fingerprint === 'a')).toMatchObject({ status: 'firing', labels: {} });
    expect(view?.alerts.find((a) => a.fingerprint === 'c')?.labels).not.toEqual({});
  });

  it.each([500, 4_500])('stores %i alerts of one notification in one step', async (size) => {
    const groupKey = newGroup();
    const many = Array.from({ length: size }, (_, i) => firing(`host-${i}`, T0 + i));
    const outcome = await record(notification(groupKey, many), T0 + MIN);
    expect(outcome).toMatchObject({ outcome: 'created', version: 1 });
    expect(await incident(outcome.key)).toMatchObject({ firing: size, resolved: 0 });
    expect(await redis.hlen(keys.alerts(outcome.key))).toBe(size);
    expect((await store.timeline(outcome.key))[0]?.text).toBe(`Opened by Alertmanager: ${size} alerts firing`);
    expect(await record(notification(groupKey, many), T0 + 2 * MIN)).toMatchObject({ outcome: 'unchanged', version: 1 });
  });

  it('gives the next incident of a group a generation suffix once the previous one is no longer open', async () => {
    const groupKey = newGroup();
    const first = await record(notification(groupKey, [firing('a')]), T0);
    await redis.hdel(keys.openIncidents, groupKey);
    const second = await record(notification(groupKey, [firing('a', T0 + 60 * MIN)]), T0 + 60 * MIN);
    expect(second).toMatchObject({ outcome: 'created', key: `${first.key}-2`, version: 1 });
    expect((await incident(first.key)).version).toBe(1);
  });
});

describe('patchIncident (real Redis)', () => {
  let redis: Redis;
  const prefix = uniquePrefix('patch');
  const keys = createRedisKeys(prefix);

  beforeAll(() => {
    redis = connectTestRedis();
  });
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  async function openIncident(name: string): Promise<string> {
    const outcome = await recordNotification(redis, prefix, notification(`{}:{alertname="${name}"}`, [firing('a'), firing('b')]), routing, T0);
    return outcome.key;
  }

  it('reports a missing incident and creates nothing', async () => {
    const outcome = await patchIncident(redis, keys, 'inc-000000000000', { set: { phase: 'isolate' }, timeline: [{ at: T0, kind: 'note', text: 'x' }] }, T0);
    expect(outcome).toEqual({ outcome: 'missing' });
    expect(await redis.exists(keys.incident('inc-000000000000'), keys.timeline('inc-000000000000'))).toBe(0);
  });

  it('sets and unsets fields, bumps the version once and appends the timeline', async () => {
    const key = await openIncident('Patched');
    const entries = [
      { at: T0 + MIN, kind: 'acknowledged' as const, text: 'Acknowledged', actor: 'slack:U0OPS1' },
      { at: T0 + MIN, kind: 'phase' as const, text: 'Phase: isolate', actor: 'slack:U0OPS1', data: { from: 'triage' } },
    ];
    const outcome = await patchIncident(redis, keys, key, { set: { acknowledgedBy: 'slack:U0OPS1', acknowledgedAt: T0 + MIN, phase: 'isolate' }, timeline: entries }, T0 + MIN);
    expect(outcome.outcome).toBe('applied');
    const applied = outcome.outcome === 'applied' ? outcome.incident : undefined;
    expect(applied).toMatchObject({ key, phase: 'isolate', acknowledgedBy: 'slack:U0OPS1', version: 2, updatedAt: T0 + MIN, firing: 2 });
    const timeline = (await redis.lrange(keys.timeline(key), 0, -1)).map((e) => JSON.parse(e) as unknown);
    expect(timeline.slice(-2)).toEqual(entries);
    expect(JSON.parse((await redis.hget(keys.incident(key), 'json')) ?? '{}')).toEqual(applied);

    const unset = await patchIncident(redis, keys, key, { unset: ['acknowledgedBy', 'acknowledgedAt'] }, T0 + 2 * MIN);
    expect(unset.outcome === 'applied' && unset.incident).toMatchObject({ version: 3, phase: 'isolate' });
    expect(unset.outcome === 'applied' && 'acknowledgedBy' in unset.incident).toBe(false);
    expect(await redis.llen(keys.timeline(key))).toBe(timeline.length);
  });

  it('refuses a patch in the phase it names, changing nothing', async () => {
    const key = await openIncident('Closed');
    await patchIncident(redis, keys, key, { set: { phase: 'closed', closedAt: T0 + MIN } }, T0 + MIN);
    const length = await redis.llen(keys.timeline(key));
    const refused = await patchIncident(redis, keys, key, { set: { phase: 'isolate' }, timeline: [{ at: T0, kind: 'phase', text: 'x' }], unlessPhase: 'closed' }, T0 + 2 * MIN);
    expect(refused.outcome).toBe('refused');
    expect(refused.outcome === 'refused' && refused.incident).toMatchObject({ phase: 'closed', version: 2, updatedAt: T0 + MIN });
    expect(await redis.llen(keys.timeline(key))).toBe(length);
    const other = await patchIncident(redis, keys, key, { set: { acknowledgedBy: 'lark:ou_lead' }, unlessPhase: 'triage' }, T0 + 3 * MIN);
    expect(other.outcome === 'applied' && other.incident.version).toBe(3);
  });

  it('keeps a patched field when a notification updates the incident afterwards', async () => {
    const key = await openIncident('Merged');
    await patchIncident(redis, keys, key, { set: { acknowledgedBy: 'slack:U0OPS1', phase: 'analyze' } }, T0 + MIN);
    const joined = notification('{}:{alertname="Merged"}', [firing('a'), firing('b'), firing('c')]);
    expect(await recordNotification(redis, prefix, joined, routing, T0 + 2 * MIN)).toMatchObject({ outcome: 'updated', version: 3 });
    const stored = JSON.parse((await redis.hget(keys.incident(key), 'json')) ?? '{}') as Incident;
    expect(stored).toMatchObject({ acknowledgedBy: 'slack:U0OPS1', phase: 'analyze', firing: 3, version: 3 });
  });
});
