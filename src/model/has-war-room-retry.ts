import type { Incident } from './incident.js';

/**
 * True while an open incident's war room is open but something of it failed for good — its card
 * was not pinned, its people (or some of them) were not invited — so asking for the room again
 * (the War room button, `/incident room`) retries what failed instead of opening another.
 */
export function hasWarRoomRetry(incident: Pick<Incident, 'phase' | 'warRoom' | 'warRoomFailure'>): boolean {
  const room = incident.warRoom;
  if (room === undefined || incident.phase === 'closed' || room.archivedAt !== undefined || room.archiveNote !== undefined) return false;
  return incident.warRoomFailure !== undefined || (room.notInvited?.length ?? 0) > 0;
}
