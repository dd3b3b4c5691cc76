import { describe, expect, it } from 'vitest';
import { buildIncidentCard } from '../../../cards/build-incident-card.js';
import { configSchema } from '../../../src/config/config-schema.js';
import type { Incident } from '../../../src/model/incident.js';
import { buildWarRoomName } from '../../../src/war-rooms/build-war-room-name.js';
import { hasAutomaticWarRooms } from '../../../src/war-rooms/has-automatic-war-rooms.js';
import { selectWarRoomSettings } from '../../../src/war-rooms/select-war-room-settings.js';

const base = { alertmanager: { token: 'x'.repeat(32) } };

describe('war room names', () => {
  it('are inc-<6 hex>-<title slug>, with the generation of later incidents, within 60 characters', () => {
    expect(buildWarRoomName({ key: 'inc-3f9a1c2b7d4e', title: 'SuspiciousProcess' })).toBe('inc-3f9a1c-suspicious-process');
    expect(buildWarRoomName({ key: 'inc-3f9a1c2b7d4e-2', title: 'Disk full on /var' })).toBe('inc-3f9a1c-2-disk-full-on-var');
    expect(buildWarRoomName({ key: 'inc-3f9a1c2b7d4e', title: 'SuspiciousProcess' }, 2)).toBe('inc-3f9a1c-suspicious-process-2');
    const long = buildWarRoomName({ key: 'inc-3f9a1c2b7d4e', title: 'A'.repeat(30) + ' ' + 'b'.repeat(60) }, 2);
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long).toMatch(/^[a-z0-9-]+-2$/);
    expect(buildWarRoomName({ key: 'inc-3f9a1c2b7d4e', title: '入侵 !!' })).toBe('inc-3f9a1c');
  });
});

describe('war room settings', () => {
  it('come from the route, else the severity, and are validated', () => {
    const config = configSchema.parse({
      ...base,
      access: { people: { alice: ['slack:U0ALICE'] }, groups: { leads: ['alice'] } },
      routes: [{ match: { team: 'pay' }, to: ['slack:C0PAY'], warRoom: { invite: ['leads'], auto: false } }, { to: ['slack:C0SEC'] }],
      warRooms: { bySeverity: { critical: { invite: ['alice'], private: false } } },
    });
    const incident = (labels: Record<string, string>, severity: string) => ({ commonLabels: labels, groupLabels: {}, severity });
    expect(selectWarRoomSettings(config, incident({ team: 'pay' }, 'critical'))).toMatchObject({ invite: ['leads'], auto: false, private: true, inviteOnCall: true });
    expect(selectWarRoomSettings(config, incident({}, 'critical'))).toMatchObject({ invite: ['alice'], private: false, auto: true });
    expect(selectWarRoomSettings(config, incident({}, 'warning'))).toBeUndefined();
    expect(hasAutomaticWarRooms(config)).toBe(true);

    const bad = configSchema.safeParse({ ...base, routes: [{ to: ['slack:C0SEC'], warRoom: { invite: ['nobody'] } }] });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('no rotation (oncall.rotations), group (access.groups) or person');
  });
});

describe('the incident card and war rooms', () => {
  const incident: Incident = {
    key: 'inc-3f9a1c2b7d4e', groupKey: 'g', title: 'SuspiciousProcess', severity: 'critical', phase: 'triage', status: 'firing', groupLabels: {}, commonLabels: {},
    externalURL: 'http://alertmanager:9093', receiver: 'warden', destinations: ['slack:C0SEC'], playbook: 'default', firing: 1, resolved: 0, openedAt: 0, updatedAt: 0, version: 1,
  };
  const text = (i: Incident) => JSON.stringify(buildIncidentCard({ incident: i, alerts: [], diagnosis: [] }));

  it('links the room, says when it was archived, and shows a failure with its fix', () => {
    const room = { destination: 'slack:C0ROOM', name: 'inc-3f9a1c-suspicious-process', url: 'https://slack.com/app_redirect?channel=C0ROOM', requestedBy: 'slack:U0A', createdAt: 0 };
    expect(text(incident)).toContain('incident.war-room');
    expect(text({ ...incident, warRoom: room })).toContain('"label":"War room: #inc-3f9a1c-suspicious-process","url":"https://slack.com/app_redirect?channel=C0ROOM"');
    expect(text({ ...incident, warRoom: room })).not.toContain('incident.war-room');
    expect(text({ ...incident, phase: 'closed', warRoom: { ...room, archivedAt: Date.UTC(2026, 10, 20, 10, 30) } })).toContain('War room #inc-3f9a1c-suspicious-process was archived at 2026-11-20 10:30 UTC');
    const failed = text({ ...incident, warRoomFailure: { text: 'War room could not be opened: slack rejected the request: conversations.create: missing_scope', fix: 'add the groups:write bot scope', at: 0 } });
    expect(failed).toContain('missing_scope');
    expect(failed).toContain('fix: add the groups:write bot scope');
  });
});
