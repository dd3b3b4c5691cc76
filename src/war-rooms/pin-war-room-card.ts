import { describeWarRoomError, isTransientRoomError } from './describe-war-room-error.js';
import { recordWarRoomFailure } from './record-war-room-failure.js';
import type { WarRoomDeps } from './war-room-deps.js';

/**
 * Pins the incident's card message `messageId` in its war room `destination` (one attempt of a
 * `war-rooms` job; the job waits until the card is posted there). Once per message: the pinned
 * message is recorded on the room (a card posted anew is pinned again). A refusal (a missing scope)
 * is shown on the card with its fix; a pin that succeeds clears it, unless invitations still failed.
 */
export async function pinWarRoomCard(deps: WarRoomDeps, key: string, destination: string, messageId: string, attempt: { final: boolean }): Promise<string> {
  const incident = await deps.store.get(key);
  const room = incident?.warRoom;
  if (!incident || room === undefined || room.destination !== destination || room.archivedAt !== undefined) return 'no open war room there';
  if (room.pinned === messageId) return 'already pinned';
  const adapter = deps.adapters[destination.startsWith('lark:') ? 'lark' : 'slack'];
  try {
    await adapter?.pinMessage?.({ destination, id: messageId });
  } catch (error) {
    if (isTransientRoomError(error) && !attempt.final) throw error;
    return recordWarRoomFailure(deps, key, room.requestedBy, 'pin', describeWarRoomError('pin', error));
  }
  const now = deps.now();
  // Invitations that failed are still to be retried: their failure stays on the card until they succeed.
  const patched = await deps.store.patch(key, { set: { warRoom: { ...room, pinned: messageId } }, ...(room.invitedAt === undefined ? {} : { unset: ['warRoomFailure' as const] }) }, now);
  // The room's card catches up with the version this bumped, so an archive waiting for it is not held up;
  // a failure cleared leaves every card.
  if (patched.outcome === 'applied') await deps.work.refreshCards(key, patched.incident.version, incident.warRoomFailure !== undefined && room.invitedAt !== undefined ? patched.incident.destinations : [destination]);
  await deps.audit.append({ type: 'war-room.pinned', actor: 'warden', subject: key, outcome: 'ok', detail: { destination, messageId } });
  return `pinned ${messageId}`;
}
