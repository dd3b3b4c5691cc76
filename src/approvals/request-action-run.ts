import { formatUtcTime } from '../shared/format-utc-time.js';
import type { IncidentOperationResult } from '../incidents/incident-operation.js';
import type { ApprovalDeps } from './approval-deps.js';
import { renderActionRun } from '../actions/render-action-run.js';
import { say } from '../shared/messages/say.js';

/**
 * A responder asks to run an action on an incident (the card's action buttons). The run is rendered
 * now, from the incident as the requester sees it (see `renderActionRun`), and that rendering is
 * what runs: a destructive action becomes an approval request carrying it, for someone else with
 * `action.approve`; any other action is queued as a `remediate` job with it at once. A run that
 * cannot be rendered (an input fails its pattern, the alerts disagree on the target) is recorded as
 * failed on the timeline and the card, and nothing is asked or queued. `requestId` comes from the
 * click's delivery id, so a redelivered click asks once and runs once.
 */
export async function requestActionRun(
  deps: ApprovalDeps,
  key: string,
  actionId: string,
  requestedBy: string,
  requestId: string,
): Promise<IncidentOperationResult> {
  const action = deps.actions[actionId];
  if (!action) return { outcome: 'refused', ...say('op.action.gone', { action: actionId, key }) };
  const view = await deps.store.view(key);
  if (!view) return { outcome: 'refused', ...say('op.incident.unknown', { key }) };
  const { incident } = view;
  if (incident.phase === 'closed') return { outcome: 'refused', ...say('op.action.closed', { key }) };
  const now = deps.now();

  const rendered = renderActionRun(action, incident, view.alerts, deps.secrets ?? []);
  if ('refusal' in rendered) {
    const summary = rendered.refusal;
    const recorded = await deps.store.recordActionResult(key, { actionId, title: action.title, ok: false, summary, at: now, durationMs: 0 }, requestedBy, now);
    if (recorded.outcome === 'applied') await deps.work.refreshCards(key, recorded.incident.version, recorded.incident.destinations);
    await deps.audit.append({ type: 'action.refused', actor: requestedBy, subject: key, outcome: 'not_rendered', detail: { actionId, requestId, summary } });
    return { outcome: 'changed', incident, ...say('op.action.cannotRun', { title: action.title, reason: summary }) };
  }
  const { rendering } = rendered;

  if (action.destructive) {
    const expiresAt = now + deps.approvalExpiryMs;
    const created = await deps.approvals.create({ id: requestId, incidentKey: key, actionId, title: action.title, requestedBy, requestedAt: now, expiresAt, state: 'pending', rendering });
    if (!created) return { outcome: 'unchanged', incident, ...say('op.action.waiting', { title: action.title }) };
    const text = `${requestedBy} requested ${action.title} (destructive): waiting for approval by someone else with action.approve until ${formatUtcTime(expiresAt)}`;
    const patched = await deps.store.patch(key, { timeline: [{ at: now, kind: 'action', text, actor: requestedBy, data: { actionId, requestId, state: 'pending' } }], unlessPhase: 'closed' }, now);
    if (patched.outcome !== 'applied') return { outcome: 'refused', ...say('op.incident.closedMeanwhile', { key }) };
    await deps.work.refreshCards(key, patched.incident.version, patched.incident.destinations);
    await deps.audit.append({ type: 'approval.requested', actor: requestedBy, subject: key, outcome: 'pending', detail: { actionId, requestId, expiresAt: new Date(expiresAt).toISOString(), inputs: rendering.inputs } });
    return { outcome: 'changed', incident: patched.incident, ...say('op.action.approvalRequested', { title: action.title }) };
  }

  await deps.work.remediate({ key, actionId, requestId, requestedBy, rendering });
  const patched = await deps.store.patch(
    key,
    { timeline: [{ at: now, kind: 'action', text: `${requestedBy} ran ${action.title}`, actor: requestedBy, data: { actionId, requestId, state: 'queued' } }] },
    now,
  );
  if (patched.outcome === 'applied') await deps.work.refreshCards(key, patched.incident.version, patched.incident.destinations);
  await deps.audit.append({ type: 'action.requested', actor: requestedBy, subject: key, outcome: 'queued', detail: { actionId, requestId, inputs: rendering.inputs } });
  return { outcome: 'changed', incident, ...say('op.action.running', { title: action.title }) };
}
