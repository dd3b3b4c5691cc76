import type { IncidentOperationResult } from '../incidents/incident-operation.js';
import type { SilenceRequestDeps } from './silence-deps.js';
import { say } from '../shared/messages/say.js';

/**
 * A responder ends an incident's active silence early (the card's Unsilence button,
 * `/incident unsilence <key>`): queues a `silences` job that expires it in Alertmanager.
 */
export async function requestUnsilence(deps: SilenceRequestDeps, key: string, requestedBy: string, requestId: string): Promise<IncidentOperationResult> {
  const incident = await deps.store.get(key);
  if (!incident) return { outcome: 'refused', ...say('op.incident.unknown', { key }) };
  const silence = incident.silence;
  if (silence === undefined) return { outcome: 'unchanged', incident, ...say('op.silence.none', { key }) };
  await deps.work.changeSilence({ op: 'expire', key, requestId, requestedBy, silenceId: silence.id, why: 'unsilence' });
  await deps.audit.append({ type: 'silence.requested', actor: requestedBy, subject: key, outcome: 'queued', detail: { requestId, silenceId: silence.id, op: 'expire' } });
  return { outcome: 'changed', incident, ...say('op.silence.expiring', { key, who: silence.createdBy }) };
}
