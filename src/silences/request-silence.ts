import { findPerson } from '../access/find-person.js';
import { isWardenError } from '../errors/warden-error.js';
import type { IncidentOperationResult } from '../incidents/incident-operation.js';
import { formatLabelFilter } from '../shared/format-label-filter.js';
import { formatDurationText } from '../shared/parse-duration.js';
import { formatUtcTime } from '../shared/format-utc-time.js';
import { buildSilenceMatchers } from './build-silence-matchers.js';
import { chooseSilenceDuration } from './choose-silence-duration.js';
import { resolveAlertmanagerApi } from './resolve-alertmanager-api.js';
import type { SilenceRequestDeps } from './silence-deps.js';
import { say, sayWith, type Said } from '../shared/messages/say.js';
import { englishOf, textRef, translateParam, translateRef } from '../shared/messages/text-ref.js';
import { silenceErrorReason } from './silence-setup-error.js';

/** What a silence request says beyond who asked: how long (default: the route's) and why. */
export interface SilenceAsk {
  durationMs?: number;
  reason?: string;
}

/**
 * A responder asks to silence an incident's alerts in Alertmanager (the card's Silence button,
 * `/incident silence <key> <duration> [reason]`). Checked now: the incident is open, it has labels
 * to silence it by, and Warden knows where Alertmanager is. A silence up to
 * `alertmanager.silence.maxWithoutApproval` is queued as a `silences` job at once; a longer one
 * becomes an approval request for someone else with `action.approve`, as a destructive action
 * does. `requestId` comes from the delivery id, so a redelivered click asks once. Refusals are audited.
 */
export async function requestSilence(deps: SilenceRequestDeps, key: string, requestedBy: string, requestId: string, ask: SilenceAsk = {}): Promise<IncidentOperationResult> {
  const settings = deps.silencing;
  if (!settings) return { outcome: 'refused', ...say('op.silence.unavailable') };
  const incident = await deps.store.get(key);
  if (!incident) return { outcome: 'refused', ...say('op.incident.unknown', { key }) };
  const refuse = async (code: string, said: Said): Promise<IncidentOperationResult> => {
    await deps.audit.append({ type: 'silence.refused', actor: requestedBy, subject: key, outcome: code, detail: { requestId, reason: said.message } });
    return { outcome: 'refused', ...said };
  };
  if (incident.phase === 'closed') return refuse('closed', say('op.silence.closed', { key }));
  let filter: string;
  try {
    filter = formatLabelFilter(Object.fromEntries(buildSilenceMatchers(incident).map((m) => [m.name, m.value])));
    resolveAlertmanagerApi(settings.alertmanager.apiUrl, incident.externalURL);
  } catch (error) {
    if (!isWardenError(error)) throw error;
    const why = silenceErrorReason(error);
    return refuse(error.code, sayWith((t) => t('op.silence.cannot', { key, reason: translateParam(t, why) })));
  }
  const durationMs = ask.durationMs ?? chooseSilenceDuration(settings, incident);
  const duration = formatDurationText(durationMs);
  const now = deps.now();
  const reason = ask.reason === undefined ? {} : { reason: ask.reason };
  const { maxWithoutApproval } = settings.alertmanager.silence;

  if (durationMs > maxWithoutApproval) {
    const expiresAt = now + deps.approvalExpiryMs;
    const titleRef = textRef('card.approval.silence.title', { duration });
    const title = englishOf(titleRef);
    const by = findPerson(settings.access, requestedBy);
    const previewRefs = [ask.reason ? textRef('card.approval.silence.previewReason', { filter, duration, by, reason: ask.reason }) : textRef('card.approval.silence.preview', { filter, duration, by })];
    const preview = previewRefs.map(englishOf);
    const created = await deps.approvals.create({
      id: requestId,
      incidentKey: key,
      actionId: 'silence',
      title,
      titleRef,
      requestedBy,
      requestedAt: now,
      expiresAt,
      state: 'pending',
      silence: { durationMs, ...reason, preview, previewRefs },
    });
    if (!created) return { outcome: 'unchanged', incident, ...sayWith((t) => t('op.action.waiting', { title: translateRef(t, titleRef) })) };
    const text = `${requestedBy} asked to silence the alerts for ${duration} (longer than ${formatDurationText(maxWithoutApproval)}): waiting for approval by someone else with action.approve until ${formatUtcTime(expiresAt)}`;
    const patched = await deps.store.patch(key, { timeline: [{ at: now, kind: 'silence', text, actor: requestedBy, data: { requestId, state: 'pending' } }], unlessPhase: 'closed' }, now);
    if (patched.outcome !== 'applied') return { outcome: 'refused', ...say('op.incident.closedMeanwhile', { key }) };
    await deps.work.refreshCards(key, patched.incident.version, patched.incident.destinations);
    await deps.audit.append({ type: 'approval.requested', actor: requestedBy, subject: key, outcome: 'pending', detail: { actionId: 'silence', requestId, durationMs, expiresAt: new Date(expiresAt).toISOString(), ...reason } });
    return { outcome: 'changed', incident: patched.incident, ...say('op.silence.needsApproval', { duration, max: formatDurationText(maxWithoutApproval) }) };
  }

  await deps.work.changeSilence({ op: 'create', key, requestId, requestedBy, durationMs, ...reason });
  const text = `${requestedBy} asked to silence the alerts for ${duration}${ask.reason ? `: ${ask.reason}` : ''}`;
  const patched = await deps.store.patch(key, { timeline: [{ at: now, kind: 'silence', text, actor: requestedBy, data: { requestId, state: 'queued' } }] }, now);
  if (patched.outcome === 'applied') await deps.work.refreshCards(key, patched.incident.version, patched.incident.destinations);
  await deps.audit.append({ type: 'silence.requested', actor: requestedBy, subject: key, outcome: 'queued', detail: { requestId, durationMs, ...reason } });
  return { outcome: 'changed', incident, ...say('op.silence.queued', { key, duration }) };
}
