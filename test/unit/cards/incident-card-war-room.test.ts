import { describe, expect, it } from 'vitest';
import { buildIncidentCard } from '../../../cards/build-incident-card.js';
import type { Card } from '../../../cards/card.js';
import type { WarRoom } from '../../../src/model/war-room.js';
import { makeIncident } from './card-test-helpers.js';

const warRoomButton = (card: Card) => card.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : [])).find((b) => b.actionId === 'incident.war-room');
const room: WarRoom = { destination: 'slack:C0ROOM1', name: 'inc-7f3a9c-suspicious-process', requestedBy: 'slack:U0OPS1', createdAt: 1, invitedAt: 2, pinned: '1700000000.000001' };
const failure = { text: 'War room card could not be pinned: slack rejected the request: pins.add: missing_scope', fix: 'add the pins:write bot scope', at: 3 };
const card = (fields: Parameters<typeof makeIncident>[0]) => buildIncidentCard({ incident: makeIncident(fields), alerts: [], diagnosis: [] });

describe('the incident card and its war room', () => {
  it('offers War room until the incident has a room, then not once everything of the room succeeded', () => {
    expect(warRoomButton(card({}))).toMatchObject({ label: 'War room', value: JSON.stringify({ k: 'inc-7f3a9c' }) });
    expect(warRoomButton(card({ warRoom: room }))).toBeUndefined();
  });

  it('keeps War room while a pin or invitations of the room failed, so pressing it retries them', () => {
    expect(warRoomButton(card({ warRoom: { ...room, pinned: undefined }, warRoomFailure: failure }))).toMatchObject({ label: 'War room' });
    expect(warRoomButton(card({ warRoom: { ...room, notInvited: ['slack:U0GONE1'] } }))).toMatchObject({ label: 'War room' });
  });

  it('offers nothing once the incident is closed or the room archived', () => {
    expect(warRoomButton(card({ phase: 'closed', warRoom: room, warRoomFailure: failure }))).toBeUndefined();
    expect(warRoomButton(card({ warRoom: { ...room, archivedAt: 4 }, warRoomFailure: failure }))).toBeUndefined();
  });
});
