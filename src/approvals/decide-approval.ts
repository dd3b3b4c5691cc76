import { listIdentitiesOf } from '../access/find-person.js';
import { formatUtcTime } from '../shared/format-utc-time.js';
import type { IncidentOperationResult } from '../incidents/incident-operation.js';
import type { ApprovalDeps } from './approval-deps.js';
import { say, sayWith } from '../shared/messages/say.js';
import { showText } from '../shared/messages/text-ref.js';
import type { Translator } from '../shared/messages/translator.js';

/**
 * Approves or denies a pending request to run a destructive action. Refused with a reason: on a
 * closed incident, after the request expired, when it was already decided, and when the requester
 * tries to approve their own request (from any identity of theirs in `access.people`). An approval queues the `remediate` job (once: its id is the
 * request's).
 */
export async function decideApproval(
  deps: ApprovalDeps,
  key: string,
  requestId: string,
  by: string,
  decision: 'approved' | 'denied',
): Promise<IncidentOperationResult> {
  const incident = await deps.store.get(key);
  if (!incident) return { outcome: 'refused', ...say('op.incident.unknown', { key }) };
  const pending = await deps.approvals.get(requestId);
  if (!pending || pending.incidentKey !== key) return { outcome: 'refused', ...say('op.approval.noRequest') };
    // A title Warden wrote (a silence's) in each person's language, an action's as configured.
  const titleIn = (t: Translator) => showText(t, pending.title, pending.titleRef);
  if (incident.phase === 'closed') return { outcome: 'refused', ...sayWith((t) => t('op.approval.closed', { key, title: titleIn(t) })) };

  const now = deps.now();
  const result = await deps.approvals.decide(requestId, decision, by, now, listIdentitiesOf({ people: deps.people ?? {} }, by));
  const audit = (type: string, outcome: string) => deps.audit.append({ type, actor: by, subject: key, outcome, detail: { actionId: pending.actionId, requestId, requestedBy: pending.requestedBy } });
  switch (result.outcome) {
    case 'missing':
      return { outcome: 'refused', ...say('op.approval.noRequest') };
    case 'already':
      const { state, decidedBy } = result.request;
      return {
        outcome: 'unchanged',
        incident,
        ...sayWith((t) => {
          const said = t(`op.approval.state.${state}`);
          return decidedBy ? t('op.approval.alreadyBy', { title: titleIn(t), state: said, who: decidedBy }) : t('op.approval.already', { title: titleIn(t), state: said });
        }),
      };
    case 'self':
      await audit('approval.refused', 'self_approval');
      return { outcome: 'refused', ...sayWith((t) => t('op.approval.self', { title: titleIn(t) })) };
    case 'expired': {
      await audit('approval.expired', 'expired');
      const patched = await deps.store.patch(key, { timeline: [{ at: now, kind: 'action', text: `The request for ${pending.title} by ${pending.requestedBy} expired unapproved`, data: { requestId, state: 'expired' } }] }, now);
      if (patched.outcome === 'applied') await deps.work.refreshCards(key, patched.incident.version, patched.incident.destinations);
      return { outcome: 'refused', ...sayWith((t) => t('op.approval.expired', { title: titleIn(t), at: formatUtcTime(pending.expiresAt) })) };
    }
    case 'decided':
      break;
  }

  if (decision === 'approved' && pending.silence !== undefined) {
    const { durationMs, reason } = pending.silence;
    await deps.work.changeSilence({ op: 'create', key, requestId, requestedBy: pending.requestedBy, approvedBy: by, durationMs, ...(reason === undefined ? {} : { reason }) });
  } else if (decision === 'approved') {
    // The job runs the rendering the approver saw on the card, never one made later.
    const data = { key, actionId: pending.actionId, requestId, requestedBy: pending.requestedBy, approvedBy: by, ...(result.request.rendering ? { rendering: result.request.rendering } : {}) };
    await deps.work.remediate(data);
  }
  const patched = await deps.store.patch(
    key,
    { timeline: [{ at: now, kind: 'action', text: `${by} ${decision} ${pending.title} (requested by ${pending.requestedBy})`, actor: by, data: { requestId, state: decision } }] },
    now,
  );
  if (patched.outcome === 'applied') await deps.work.refreshCards(key, patched.incident.version, patched.incident.destinations);
  await audit(`approval.${decision}`, 'ok');
  return { outcome: 'changed', incident, ...sayWith((t) => t('op.approval.done', { decision: t(`op.approval.state.${decision}`), title: titleIn(t) })) };
}
