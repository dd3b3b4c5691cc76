import { warRoomTexts } from './war-room-texts.js';
import type { Incident } from '../model/incident.js';
import type { WarRoom, WarRoomRequest } from '../model/war-room.js';
import type { ChatRoom } from '../ports/chat-room.js';
import { hasWarRoomRetry } from '../model/has-war-room-retry.js';
import { createWarRoom } from './create-war-room.js';
import { describeWarRoomError, isTransientRoomError, toWarRoomProblem } from './describe-war-room-error.js';
import { textRef } from '../shared/messages/text-ref.js';
import { listWarRoomInvitees } from './list-war-room-invitees.js';
import { recordWarRoomFailure } from './record-war-room-failure.js';
import { ON_DEMAND_WAR_ROOM, selectWarRoomSettings } from './select-war-room-settings.js';
import type { WarRoomDeps } from './war-room-deps.js';

/**
 * Opens incident `request.key`'s war room (one attempt of a `war-rooms` job): creates the room on
 * its platform (`createWarRoom`: a taken name is tried once more with a suffix, a room an earlier
 * attempt made but did not record is adopted), records it on the incident as another destination
 * of its card, invites its people, brings every card up to date (the room's card is posted, the
 * others link the room) and asks for the room's card to be pinned. Effective once: a retry finds
 * the room recorded and only finishes what is left — invitations not made or refused, a pin not
 * made — so a request after a failure recorded for good retries exactly what failed; a room for a
 * closed incident is archived at once. A transient platform failure is thrown (the job is retried) unless
 * this is the `final` attempt; a refusal is shown on the card with its fix.
 */
export async function openWarRoom(deps: WarRoomDeps, request: WarRoomRequest, attempt: { final: boolean }): Promise<string> {
  const incident = await deps.store.get(request.key);
  if (!incident) return 'incident gone';
  const room = incident.warRoom;
  if (room !== undefined && (room.archivedAt !== undefined || room.archiveNote !== undefined || (room.invitedAt !== undefined && !hasWarRoomRetry(incident)))) return `already has a room: ${room.name}`;
  const configured = selectWarRoomSettings(deps.config, incident);
  if (room === undefined && request.auto === true && configured?.auto !== true) return 'no war room for this incident';
  const settings = configured ?? ON_DEMAND_WAR_ROOM;
  const fail = async (what: 'open' | 'invite', error: unknown): Promise<string> => {
    if (isTransientRoomError(error) && !attempt.final) throw error;
    return recordWarRoomFailure(deps, request.key, request.requestedBy, what, describeWarRoomError(what, error));
  };

  let current = incident;
  if (room === undefined) {
    if (incident.phase === 'closed') return 'incident closed';
    const platform = settings.platform ?? (request.auto === true ? undefined : request.platform) ?? firstPlatform(incident);
    const adapter = platform === undefined ? undefined : deps.adapters[platform];
    if (adapter?.createRoom === undefined) {
      const reason = platform === undefined ? textRef('card.warRoom.reason.noPlatform') : textRef('card.warRoom.reason.unsupported', { platform });
      return recordWarRoomFailure(deps, request.key, request.requestedBy, 'open', toWarRoomProblem('unsupported', textRef('card.warRoom.failed.open', { reason })));
    }
    let made: ChatRoom;
    try {
      made = await createWarRoom(deps, adapter, incident, settings);
    } catch (error) {
      return fail('open', error);
    }
    const now = deps.now();
    const record: WarRoom = { destination: made.destination, name: made.name, ...(made.url === undefined ? {} : { url: made.url }), requestedBy: request.requestedBy, createdAt: now };
    const patched = await deps.store.patch(
      request.key,
      {
        set: { warRoom: record, destinations: [...incident.destinations.filter((d) => d !== made.destination), made.destination] },
        unset: ['warRoomFailure', 'warRoomIntent'],
        timeline: [{ at: now, kind: 'war-room', text: warRoomTexts.opened(made.name, request.requestedBy), actor: request.requestedBy, data: { state: 'opened', destination: made.destination, name: made.name } }],
        requireUnset: 'warRoom',
      },
      now,
    );
    if (patched.outcome === 'missing') return 'incident gone';
    current = patched.incident;
    await deps.audit.append({ type: 'war-room.opened', actor: request.requestedBy, subject: request.key, outcome: 'ok', detail: { destination: made.destination, name: made.name, private: settings.private } });
  }

  const opened = current.warRoom!;
  const platform = opened.destination.startsWith('lark:') ? 'lark' : 'slack';
  const adapter = deps.adapters[platform];
  let result = room === undefined ? `opened ${opened.name}` : `finished ${opened.name}`;
  const refusedBefore = opened.notInvited ?? [];
  if (opened.invitedAt === undefined || refusedBefore.length > 0) {
    // Everyone when nobody was invited yet; else only those the platform would not add last time.
    const invitees = opened.invitedAt === undefined ? await listWarRoomInvitees(deps, current, settings, request.requestedBy, platform) : { identities: refusedBefore, description: refusedBefore.join(', ') };
    try {
      const invitation = await adapter?.inviteToRoom?.(opened.destination, invitees.identities);
      const refused = invitation?.refused ?? [];
      const now = deps.now();
      const lines = [warRoomTexts.invited(invitees.identities.length, invitees.description || '-')];
      if (refused.length > 0) lines.push(warRoomTexts.notInvited(refused.join(', ')));
      const { notInvited: _, ...rest } = opened;
      const patched = await deps.store.patch(
        request.key,
        {
          // People not added count as a failure: the request that invites them again is a job of its own.
          set: { warRoom: { ...rest, invitedAt: opened.invitedAt ?? now, ...(refused.length > 0 ? { notInvited: refused } : {}) }, ...(refused.length > 0 ? { warRoomFailures: (current.warRoomFailures ?? 0) + 1 } : {}) },
          // A pin that failed is still to be retried: its failure stays on the card until it succeeds.
          ...(opened.pinned === undefined ? {} : { unset: ['warRoomFailure' as const] }),
          timeline: lines.map((text) => ({ at: now, kind: 'war-room' as const, text, actor: request.requestedBy, data: { state: 'invited', identities: invitees.identities } })),
        },
        now,
      );
      if (patched.outcome === 'applied') current = patched.incident;
      await deps.audit.append({ type: 'war-room.invited', actor: request.requestedBy, subject: request.key, outcome: 'ok', detail: { destination: opened.destination, identities: invitees.identities, refused } });
    } catch (error) {
      result = await fail('invite', error);
      current = (await deps.store.get(request.key)) ?? current;
    }
  }
  await deps.work.refreshCards(request.key, current.version, current.destinations);
  // A room recorded before this attempt pins under its own job id: the first pin's job may have run and failed.
  if (current.warRoom?.pinned === undefined) await deps.work.pinWarRoomCard(request.key, opened.destination, room === undefined ? undefined : `a${request.attempt}`);
  if (current.phase === 'closed') await deps.work.archiveWarRoom(request.key);
  return result;
}

function firstPlatform(incident: Incident): 'slack' | 'lark' | undefined {
  const destination = incident.destinations.find((d) => d.startsWith('slack:') || d.startsWith('lark:'));
  return destination === undefined ? undefined : destination.startsWith('slack:') ? 'slack' : 'lark';
}
