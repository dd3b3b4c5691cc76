import { warRoomTexts } from './war-room-texts.js';
import { localize } from '../shared/messages/localize.js';
import { localizeNotice } from '../shared/messages/localize-notice.js';
import { describeWarRoomError, isTransientRoomError } from './describe-war-room-error.js';
import { recordWarRoomFailure } from './record-war-room-failure.js';
import type { WarRoomDeps } from './war-room-deps.js';

/**
 * Archives the war room of a closed incident (one attempt of a `war-rooms` job; the job first waits
 * for the room's card to show the incident closed). Slack archives the channel; Lark dissolves the
 * chat the app owns. Where the platform does not let the app, the room and the lead (else whoever
 * closed the incident) are asked to archive it. Archived, the room stops being a destination of the
 * card; the other cards say it was archived. Effective once: the outcome is recorded on the room.
 */
export async function archiveWarRoom(deps: WarRoomDeps, key: string, attempt: { final: boolean }): Promise<string> {
  const incident = await deps.store.get(key);
  const room = incident?.warRoom;
  if (!incident || room === undefined || room.archivedAt !== undefined || room.archiveNote !== undefined) return 'no war room to archive';
  if (incident.phase !== 'closed') return 'incident open';
  const adapter = deps.adapters[room.destination.startsWith('lark:') ? 'lark' : 'slack'];
  let outcome;
  try {
    outcome = (await adapter?.archiveRoom?.(room.destination)) ?? 'not_allowed';
  } catch (error) {
    if (isTransientRoomError(error) && !attempt.final) throw error;
    return recordWarRoomFailure(deps, key, 'warden', 'archive', describeWarRoomError('archive', error));
  }
  const now = deps.now();
  if (outcome === 'archived') {
    const patched = await deps.store.patch(
      key,
      {
        set: { warRoom: { ...room, archivedAt: now }, destinations: incident.destinations.filter((d) => d !== room.destination) },
        timeline: [{ at: now, kind: 'war-room', text: warRoomTexts.archived(room.name), actor: 'warden', data: { state: 'archived', destination: room.destination } }],
      },
      now,
    );
    if (patched.outcome === 'applied') await deps.work.refreshCards(key, patched.incident.version, patched.incident.destinations);
    await deps.audit.append({ type: 'war-room.archived', actor: 'warden', subject: key, outcome: 'ok', detail: { destination: room.destination, name: room.name } });
    return `archived ${room.name}`;
  }
  const notice = { ...localizeNotice(localize('notice.warRoom.archiveTitle', { name: room.name }), localize('notice.warRoom.archiveText', { key, name: room.name })), accent: 'info' as const };
  await deps.work.postNotice(`war-room-archive.${key}`, [room.destination], notice);
  const owner = incident.lead ?? incident.closedBy;
  if (owner !== undefined && owner.includes(':')) await deps.work.postPrivateNotice(`war-room-archive.${key}.owner`, [owner], notice);
  const patched = await deps.store.patch(
    key,
    {
      set: { warRoom: { ...room, archiveNote: 'asked' } },
      timeline: [{ at: now, kind: 'war-room', text: warRoomTexts.archiveAsked(room.name), actor: 'warden', data: { state: 'archive-asked', destination: room.destination } }],
    },
    now,
  );
  if (patched.outcome === 'applied') await deps.work.refreshCards(key, patched.incident.version, patched.incident.destinations);
  await deps.audit.append({ type: 'war-room.archive-asked', actor: 'warden', subject: key, outcome: 'not_allowed', detail: { destination: room.destination, name: room.name, asked: owner ?? null } });
  return `asked to archive ${room.name}`;
}
