import type { IncidentOperationResult } from '../incidents/incident-operation.js';
import type { SilenceRequestDeps } from './silence-deps.js';

/**
 * A responder ends an incident's active silence early (the card's Unsilence button,
 * `/incident unsilence <key>`): queues a `silences` job that expires it in Alertmanager.
 */
export async function requestUnsilence(deps: SilenceRequestDeps, key: string, requestedBy: string, requestId: string): Promise<IncidentOperationResult> {
  const incident = await deps.store.get(key);
  if (!incident) return { outcome: 'refused', message: `There is no incident ${key}.` };
  const silence = incident.silence;
  if (silence === undefined) return { outcome: 'unchanged', incident, message: `${key} has no active silence.` };
  await deps.work.changeSilence({ op: 'expire', key, requestId, requestedBy, silenceId: silence.id, why: 'unsilence' });
  await deps.audit.append({ type: 'silence.requested', actor: requestedBy, subject: key, outcome: 'queued', detail: { requestId, silenceId: silence.id, op: 'expire' } });
  return { outcome: 'changed', incident, message: `Expiring the silence of ${key} (by ${silence.createdBy}) in Alertmanager.` };
}
