import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatConfigPath } from '../../../src/config/format-config-path.js';
import { webhookNotificationSchema } from '../../../src/incidents/alertmanager-schema.js';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../fixtures/alertmanager/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** The fixture with `mutate` applied to a deep copy. */
function firingWith(mutate: (payload: Record<string, unknown>, alert: Record<string, unknown>) => void): Record<string, unknown> {
  const payload = fixture('firing.json');
  mutate(payload, (payload.alerts as Record<string, unknown>[])[0]!);
  return payload;
}

/** Each issue as `path: message`. */
function issues(payload: unknown): string[] {
  const result = webhookNotificationSchema.safeParse(payload);
  return result.success ? [] : result.error.issues.map((issue) => `${formatConfigPath(issue.path)}: ${issue.message}`);
}

describe('webhookNotificationSchema', () => {
  it('parses the firing fixture', () => {
    const parsed = webhookNotificationSchema.parse(fixture('firing.json'));
    expect(parsed.status).toBe('firing');
    expect(parsed.groupKey).toBe('{}/{severity="critical"}:{alertname="SuspiciousProcess"}');
    expect(parsed.alerts.map((a) => [a.fingerprint, a.status, a.labels.instance])).toEqual([
      ['c4b2f6d6a1e3f0b9', 'firing', 'web-1:9100'],
      ['9a0e7d1c55b24f13', 'firing', 'web-2:9100'],
    ]);
  });

  it('parses the resolved fixture, tolerating keys it does not know', () => {
    const parsed = webhookNotificationSchema.parse(fixture('resolved.json'));
    expect(parsed.status).toBe('resolved');
    expect(parsed.alerts.every((a) => a.status === 'resolved' && a.endsAt === '2026-11-20T10:20:00.000Z')).toBe(true);
    expect((parsed as Record<string, unknown>).notification_reason).toBe('all alerts resolved');
  });

  it('tolerates unknown keys on the notification and on alerts', () => {
    const payload = firingWith((p, a) => {
      p.routeLabels = { team: 'sec' };
      a.silencedBy = [];
    });
    expect(issues(payload)).toEqual([]);
  });

  it('fills in defaults for optional fields', () => {
    const parsed = webhookNotificationSchema.parse({
      version: '4',
      groupKey: 'g',
      status: 'firing',
      alerts: [{ status: 'firing', labels: { alertname: 'A' }, startsAt: '2026-11-20T10:00:00Z', fingerprint: 'f1' }],
    });
    expect(parsed).toMatchObject({ truncatedAlerts: 0, receiver: '', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: '' });
    expect(parsed.alerts[0]).toMatchObject({ annotations: {}, endsAt: '', generatorURL: '' });
  });

  it.each(['version', 'groupKey', 'status', 'alerts'])('reports a missing %s by its path', (key) => {
    const found = issues(firingWith((p) => delete p[key]));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${key}: `));
  });

  it.each(['status', 'labels', 'startsAt', 'fingerprint'])('reports an alert without %s by its path', (key) => {
    const found = issues(firingWith((_p, a) => delete a[key]));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^alerts\\[0\\]\\.${key}: `));
  });

  it('explains a wrong version, an empty alert list and a bad status', () => {
    expect(issues(firingWith((p) => (p.version = '3')))).toEqual(['version: must be "4" (Alertmanager webhook payload version 4)']);
    expect(issues(firingWith((p) => (p.alerts = [])))).toEqual(['alerts: must contain at least one alert']);
    expect(issues(firingWith((_p, a) => (a.status = 'pending')))).toHaveLength(1);
  });

  it('refuses label values that are not strings and over-long fingerprints', () => {
    expect(issues(firingWith((_p, a) => (a.labels = { alertname: 'A', port: 9100 })))[0]).toMatch(/^alerts\[0\]\.labels\.port: /);
    expect(issues(firingWith((_p, a) => (a.fingerprint = 'f'.repeat(129))))[0]).toMatch(/^alerts\[0\]\.fingerprint: /);
    expect(issues(firingWith((_p, a) => (a.fingerprint = '')))[0]).toMatch(/^alerts\[0\]\.fingerprint: /);
  });

  it('refuses a payload that is not an object', () => {
    for (const payload of [null, [], 'x', 4]) expect(issues(payload)).toHaveLength(1);
  });
});
