import type { SilenceRequest } from '../model/silence.js';
import { checkSilenceAuthority } from './check-silence-authority.js';
import { createSilenceApi } from './create-silence-api.js';
import { recordSilenceFailure } from './record-silence-failure.js';
import { resolveAlertmanagerApi } from './resolve-alertmanager-api.js';
import type { SilenceJobDeps } from './silence-deps.js';
import { textRef } from '../shared/messages/text-ref.js';
import { resumeEscalation } from '../escalation/resume-escalation.js';

type ExpireRequest = Extract<SilenceRequest, { op: 'expire' }>;

const WHY_TEXT: Record<ExpireRequest['why'], (by: string) => string> = {
  unsilence: (by) => ` by ${by} (Unsilence)`,
  resolved: () => ': the alerts resolved at the source',
  closed: () => ': the incident was closed',
  replaced: () => ': a new silence replaced it',
  ended: () => ': it ran out',
};

/** The ends of a silence after which escalation resumes: not a replacing silence (which holds it still) nor a close. */
const RESUMES_ESCALATION: ReadonlySet<ExpireRequest['why']> = new Set(['unsilence', 'ended', 'resolved']);

/**
 * Expires an incident's silence in Alertmanager (`GET` then `DELETE /api/v2/silence/{id}`: one
 * already expired, or unknown to Alertmanager, counts as done) and, when it is the incident's
 * current silence, removes it from the card; timeline and audit `silence.expired`. A silence that
 * `ended` is only cleared from the card once Alertmanager says it has. When the silence had stopped
 * the incident's escalation and it ended otherwise than by a replacement or a close, escalation
 * resumes (`resumeEscalation`). Alertmanager errors are thrown (`WardenError`).
 */
export async function expireIncidentSilence(deps: SilenceJobDeps, request: ExpireRequest): Promise<string> {
  const incident = await deps.store.get(request.key);
  if (!incident) return 'incident gone';
  if (request.why === 'unsilence') {
    const refusal = await checkSilenceAuthority(deps, request);
    if (refusal) return recordSilenceFailure(deps, request, textRef('card.silence.refused.expire', { why: refusal.reason }), { type: 'silence.refused', code: refusal.code });
  }
  const api = createSilenceApi(resolveAlertmanagerApi(deps.settings.alertmanager.apiUrl, incident.externalURL), { scrub: deps.scrub, timeoutMs: deps.timeoutMs });
  const found = await api.get(request.silenceId);
  const already = found === undefined || found.status.state === 'expired';
  // Someone extended it in Alertmanager: it has not run out, and stays.
  if (request.why === 'ended' && !already) return `silence ${request.silenceId} is still ${found.status.state}`;
  if (!already) await api.expire(request.silenceId);

  const current = await deps.store.get(request.key);
  const onCard = current?.silence?.id === request.silenceId;
  const now = deps.now();
  if (onCard) {
    const text = `Silence ${request.silenceId} expired${WHY_TEXT[request.why](request.requestedBy)}`;
    const patched = await deps.store.patch(
      request.key,
      { unset: ['silence', 'silenceFailure'], timeline: [{ at: now, kind: 'silence', text, actor: request.requestedBy, data: { requestId: request.requestId, silenceId: request.silenceId, state: 'expired' } }] },
      now,
    );
    if (patched.outcome === 'applied') {
      await deps.work.refreshCards(request.key, patched.incident.version, patched.incident.destinations);
      // The silence no longer speaks for anyone: an incident still waiting for a person is escalated again.
      if (RESUMES_ESCALATION.has(request.why)) await resumeEscalation(deps, request.key, `silence ${request.silenceId} expired${WHY_TEXT[request.why](request.requestedBy)}`, request.requestedBy);
    }
  }
  if (!already || onCard) {
    await deps.audit.append({ type: 'silence.expired', actor: request.requestedBy, subject: request.key, outcome: 'ok', detail: { requestId: request.requestId, silenceId: request.silenceId, why: request.why, alreadyExpired: already } });
  }
  return already ? `silence ${request.silenceId} was already expired` : `expired: ${request.silenceId}`;
}
