import { hasWarRoomRetry } from '../model/has-war-room-retry.js';
import { say } from '../shared/messages/say.js';
import type { IncidentOperationDeps, IncidentOperationResult } from '../incidents/incident-operation.js';

/**
 * A responder asks for an incident's war room (the card's War room button, `/incident room <key>`):
 * checked now (the incident is open and has no room), done by a `war-rooms` job whose id names the
 * incident, so redelivered and repeated clicks open one room. When the room is open but its card's
 * pin or some invitations failed for good, asking again retries them (the job id counts failures,
 * so a request after the fix is a new job). `platform` is that of whoever asked:
 * the room is made there unless the settings name one. Audited.
 */
export async function requestWarRoom(deps: Pick<IncidentOperationDeps, 'store' | 'work' | 'audit'>, key: string, requestedBy: string): Promise<IncidentOperationResult> {
  const incident = await deps.store.get(key);
  if (!incident) return { outcome: 'refused', ...say('op.warRoom.noIncident', { key }) };
  if (incident.phase === 'closed') return { outcome: 'refused', ...say('op.warRoom.closed', { key }) };
  const retry = hasWarRoomRetry(incident);
  if (incident.warRoom !== undefined && !retry) return { outcome: 'unchanged', incident, ...say('op.warRoom.alreadyOpen', { key, name: incident.warRoom.name }) };
  const platform = requestedBy.startsWith('lark:') ? 'lark' : requestedBy.startsWith('slack:') ? 'slack' : undefined;
  await deps.work.openWarRoom({ key, requestedBy, ...(platform === undefined ? {} : { platform }), attempt: incident.warRoomFailures ?? 0 });
  await deps.audit.append({ type: 'war-room.requested', actor: requestedBy, subject: key, outcome: 'queued', ...(retry ? { detail: { retry: true } } : {}) });
  return { outcome: 'changed', incident, ...(retry && incident.warRoom !== undefined ? say('op.warRoom.retrying', { key, name: incident.warRoom.name }) : say('op.warRoom.requested', { key })) };
}
