import { afterAll, describe, expect, it } from 'vitest';
import { webhookNotificationSchema } from '../../../src/incidents/alertmanager-schema.js';
import { createIncidentStore } from '../../../src/incidents/create-incident-store.js';
import { pruneClosedIncidents } from '../../../src/incidents/prune-closed-incidents.js';
import { recordNotification } from '../../../src/incidents/record-notifications.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { buildNotification } from '../../support/build-notification.js';
import { connectTestRedis, deleteKeys, listKeys, uniquePrefix } from '../../support/test-redis.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-20T10:00:00Z');
const RETENTION = 90 * DAY;

describe('pruneClosedIncidents (real Redis)', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('prune');
  const other = uniquePrefix('prune-other');
  const keys = createRedisKeys(prefix);
  const store = createIncidentStore(redis, keys);
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await deleteKeys(redis, other);
    redis.disconnect();
  });

  let serial = 0;
  /** An incident opened at `openedAt` with every kind of key it can have; closed at `closedAt` when given. */
  async function makeIncident(inPrefix: string, openedAt: number, closedAt?: number): Promise<string> {
    const k = createRedisKeys(inPrefix);
    const s = createIncidentStore(redis, k);
    const alertname = `Prune${++serial}`;
    const notification = webhookNotificationSchema.parse(buildNotification({ alertname, groupKey: `{}:{alertname="${alertname}"}` }));
    const { key } = await recordNotification(redis, inPrefix, notification, { destinations: ['slack:C0SEC'], playbook: 'default' }, openedAt);
    await s.recordDiagnosis(key, [{ actionId: 'ps', title: 'Process list', ok: true, summary: 'fine', at: openedAt + 1000, durationMs: 5 }], openedAt + 1000);
    await redis.hset(k.messages(key), 'slack:C0SEC', JSON.stringify({ destination: 'slack:C0SEC', id: '1700000000.000100' }));
    await redis.hset(k.steps(key), 'isolate.0', JSON.stringify({ state: 'done', by: 'slack:U0OPS1', at: openedAt }));
    await redis.zadd(k.incidentApprovals(key), openedAt, `approval-${serial}`);
    if (closedAt !== undefined) {
      const result = await s.patch(key, { set: { phase: 'closed', closedAt, closedBy: 'slack:U0OPS1' }, timeline: [{ at: closedAt, kind: 'closed', text: 'closed' }], releaseGroup: true }, closedAt);
      expect(result.outcome).toBe('applied');
    }
    return key;
  }

  const keysOf = (key: string) => [keys.incident(key), keys.alerts(key), keys.timeline(key), keys.diagnosis(key), keys.messages(key), keys.steps(key), keys.incidentApprovals(key)];
  const existing = async (key: string) => {
    const flags = await Promise.all(keysOf(key).map((k) => redis.exists(k)));
    return flags.reduce((a, b) => a + b, 0);
  };

  it('removes incidents closed before the retention with all their keys, and nothing else', async () => {
    const oldClosed = await makeIncident(prefix, NOW - 200 * DAY, NOW - 199 * DAY);
    const justOld = await makeIncident(prefix, NOW - 95 * DAY, NOW - 90 * DAY - 1);
    const recentClosed = await makeIncident(prefix, NOW - 120 * DAY, NOW - 30 * DAY);
    const oldOpen = await makeIncident(prefix, NOW - 300 * DAY);
    const recentOpen = await makeIncident(prefix, NOW - DAY);
    const foreign = await makeIncident(other, NOW - 200 * DAY, NOW - 199 * DAY);
    await redis.xadd(keys.auditStream, '1-0', 'entry', '{"seq":1}');
    for (const key of [oldClosed, justOld, recentClosed, oldOpen, recentOpen]) expect(await existing(key)).toBe(7);
    const before = await listKeys(redis, other);

    expect(await pruneClosedIncidents(redis, keys, { olderThanMs: RETENTION, now: NOW })).toBe(2);

    for (const key of [oldClosed, justOld]) {
      expect(await existing(key)).toBe(0);
      expect(await redis.zscore(keys.incidentIndex, key)).toBeNull();
      expect(await store.get(key)).toBeNull();
    }
    for (const key of [recentClosed, oldOpen, recentOpen]) {
      expect(await existing(key)).toBe(7);
      expect(await redis.zscore(keys.incidentIndex, key)).not.toBeNull();
    }
    expect((await store.listOpen(10)).map((i) => i.key).sort()).toEqual([oldOpen, recentOpen].sort());
    expect(await redis.xlen(keys.auditStream)).toBe(1);
    expect(await listKeys(redis, other)).toEqual(before);
    expect(await redis.exists(createRedisKeys(other).incident(foreign))).toBe(1);

    // Nothing more to do: a second run removes nothing.
    expect(await pruneClosedIncidents(redis, keys, { olderThanMs: RETENTION, now: NOW })).toBe(0);
  });

  it('checks again inside Redis: an incident still mapped as its group’s open incident, or without closedAt, stays', async () => {
    const mapped = await makeIncident(prefix, NOW - 200 * DAY, NOW - 199 * DAY);
    const incident = (await store.get(mapped))!;
    // As if the group were reopened onto this incident between the read and the delete.
    await redis.hset(keys.openIncidents, incident.groupKey, mapped);
    const noClosedAt = await makeIncident(prefix, NOW - 200 * DAY);
    await store.patch(noClosedAt, { set: { phase: 'closed' }, releaseGroup: true }, NOW - 199 * DAY);

    expect(await pruneClosedIncidents(redis, keys, { olderThanMs: RETENTION, now: NOW })).toBe(0);
    expect(await existing(mapped)).toBe(7);
    expect(await existing(noClosedAt)).toBe(7);
    await redis.hdel(keys.openIncidents, incident.groupKey);
    expect(await pruneClosedIncidents(redis, keys, { olderThanMs: RETENTION, now: NOW })).toBe(1);
    expect(await existing(mapped)).toBe(0);
  });

  it('pages through the index in batches, past the incidents it keeps, and drops stale index entries', async () => {
    const kept: string[] = [];
    const removed: string[] = [];
    for (let i = 0; i < 7; i++) {
      const opened = NOW - (400 - i) * DAY;
      if (i % 2 === 0) removed.push(await makeIncident(prefix, opened, opened + DAY));
      else kept.push(await makeIncident(prefix, opened));
    }
    await redis.zadd(keys.incidentIndex, NOW - 500 * DAY, 'inc-deadbeef0000');
    expect(await pruneClosedIncidents(redis, keys, { olderThanMs: RETENTION, now: NOW, batch: 2 })).toBe(removed.length);
    for (const key of removed) expect(await existing(key)).toBe(0);
    for (const key of kept) expect(await existing(key)).toBe(7);
    expect(await redis.zscore(keys.incidentIndex, 'inc-deadbeef0000')).toBeNull();
  });

  it('drops a group\'s generation count with its latest incident only, so later keys stay unique', async () => {
    const groupKey = '{}:{alertname="PruneGenerations"}';
    const notification = webhookNotificationSchema.parse(buildNotification({ alertname: 'PruneGenerations', groupKey }));
    const open = async (at: number) => (await recordNotification(redis, prefix, notification, { destinations: ['slack:C0SEC'], playbook: 'default' }, at)).key;
    const close = async (key: string, at: number) =>
      expect((await store.patch(key, { set: { phase: 'closed', closedAt: at, closedBy: 'slack:U0OPS1' }, timeline: [], releaseGroup: true }, at)).outcome).toBe('applied');
    const first = await open(NOW - 300 * DAY);
    await close(first, NOW - 299 * DAY);
    const second = await open(NOW - 200 * DAY);
    expect(second).toBe(`${first}-2`);
    // The second is still open: pruning the first keeps the count, so a third cannot reuse a key.
    await pruneClosedIncidents(redis, keys, { olderThanMs: RETENTION, now: NOW });
    expect(await redis.hget(keys.incidentGenerations, groupKey)).toBe('2');
    await close(second, NOW - 199 * DAY);
    await pruneClosedIncidents(redis, keys, { olderThanMs: RETENTION, now: NOW });
    expect(await redis.hexists(keys.incidentGenerations, groupKey)).toBe(0);
    // Nothing of the group is left; its next incident starts again at the first key.
    expect(await open(NOW)).toBe(first);
  });

  it('refuses a retention that is not a finite, non-negative time', async () => {
    await expect(pruneClosedIncidents(redis, keys, { olderThanMs: Number.NaN, now: NOW })).rejects.toThrow(RangeError);
    await expect(pruneClosedIncidents(redis, keys, { olderThanMs: -1, now: NOW })).rejects.toThrow(RangeError);
  });
});
