import { findPerson } from '../access/find-person.js';
import type { Incident } from '../model/incident.js';
import type { IncidentSilence, SilenceRequest } from '../model/silence.js';
import { formatUtcTime } from '../shared/format-utc-time.js';
import { buildSilenceMatchers, toFilterMatchers } from './build-silence-matchers.js';
import { checkSilenceAuthority } from './check-silence-authority.js';
import { createSilenceApi, type SilenceApi } from './create-silence-api.js';
import { selectEscalationPolicy } from '../escalation/select-escalation-policy.js';
import { stopEscalation } from '../escalation/stop-escalation.js';
import { recordSilenceFailure } from './record-silence-failure.js';
import { resolveAlertmanagerApi } from './resolve-alertmanager-api.js';
import type { SilenceJobDeps } from './silence-deps.js';
import { textRef } from '../shared/messages/text-ref.js';

type CreateRequest = Extract<SilenceRequest, { op: 'create' }>;

/** The mark in a silence's comment that ties it to the request that made it. */
export function tagOf(requestId: string): string {
  return `[warden request ${requestId}]`;
}

/**
 * Creates the Alertmanager silence a request asks for and records it on the incident (card,
 * timeline, audit `silence.created`). Effective once: a retry, or the same request queued again,
 * first looks for a silence of this request (by the mark in its comment) and adopts it. The
 * incident's previous silence, if another, is expired. When the incident is closed before or while
 * the silence is made, it is expired at once. Alertmanager errors are thrown (`WardenError`).
 */
export async function createIncidentSilence(deps: SilenceJobDeps, request: CreateRequest): Promise<string> {
  const incident = await deps.store.get(request.key);
  if (!incident) return 'incident gone';
  if (incident.silence?.requestId === request.requestId) return `already silenced (${incident.silence.id})`;
  if (incident.phase === 'closed') return expireMade(deps, request, incident, 'the incident was closed before the silence was made');
  const refusal = await checkSilenceAuthority(deps, request);
  if (refusal) return recordSilenceFailure(deps, request, textRef('card.silence.refused.create', { why: refusal.reason }), { type: 'silence.refused', code: refusal.code });

  const matchers = buildSilenceMatchers(incident);
  const api = createSilenceApi(resolveAlertmanagerApi(deps.settings.alertmanager.apiUrl, incident.externalURL), { scrub: deps.scrub, timeoutMs: deps.timeoutMs });
  const createdBy = findPerson(deps.settings.access, request.requestedBy);
  const approvedBy = request.approvedBy === undefined ? undefined : findPerson(deps.settings.access, request.approvedBy);
  const existing = await findMade(api, matchers, request.requestId);
  let startsAt = deps.now();
  let endsAt = startsAt + request.durationMs;
  let id: string;
  if (existing) {
    id = existing.id;
    startsAt = Date.parse(existing.startsAt) || startsAt;
    endsAt = Date.parse(existing.endsAt) || endsAt;
  } else {
    const why = request.reason ?? 'silenced from Warden';
    const comment = `${incident.key} (${incident.title}): ${why} — asked by ${createdBy}${approvedBy ? `, approved by ${approvedBy}` : ''} ${tagOf(request.requestId)}`;
    id = await api.create({ matchers, startsAt: new Date(startsAt).toISOString(), endsAt: new Date(endsAt).toISOString(), createdBy, comment });
  }

  const silence: IncidentSilence = {
    id,
    requestedBy: request.requestedBy,
    createdBy,
    ...(approvedBy === undefined ? {} : { approvedBy }),
    startsAt,
    endsAt,
    ...(request.reason === undefined ? {} : { reason: request.reason }),
    requestId: request.requestId,
  };
  const now = deps.now();
  const text = `Silenced in Alertmanager until ${formatUtcTime(endsAt)} by ${createdBy}${approvedBy ? `, approved by ${approvedBy}` : ''} (silence ${id})${request.reason ? `: ${request.reason}` : ''}`;
  const patched = await deps.store.patch(
    request.key,
    { set: { silence }, unset: ['silenceFailure'], timeline: [{ at: now, kind: 'silence', text, actor: request.requestedBy, data: { requestId: request.requestId, silenceId: id, state: 'created' } }], unlessPhase: 'closed' },
    now,
  );
  if (patched.outcome === 'missing') return 'incident gone';
  if (patched.outcome === 'refused') return expireMade(deps, request, patched.incident, 'the incident was closed while the silence was made');
  // Counted where it is recorded: a retry finds it recorded and returns above.
  deps.countSilence?.(patched.incident);
  // Nobody is paged for alerts someone chose to silence.
  if (selectEscalationPolicy(deps.settings, patched.incident) !== undefined) {
    await stopEscalation(deps, request.key, textRef('card.escalation.stop.silenced', { until: formatUtcTime(endsAt), by: createdBy }), request.requestedBy, id);
  }
  const previous = incident.silence;
  if (previous !== undefined && previous.id !== id) {
    await deps.work.changeSilence({ op: 'expire', key: request.key, requestId: `replaced-${previous.id}`, requestedBy: 'warden', silenceId: previous.id, why: 'replaced' });
  }
  await deps.work.refreshCards(request.key, patched.incident.version, patched.incident.destinations);
  // Once it has run out, the card stops showing it (a silence extended in Alertmanager is left alone).
  await deps.work.changeSilence({ op: 'expire', key: request.key, requestId: `ended-${id}`, requestedBy: 'warden', silenceId: id, why: 'ended' }, { delayMs: Math.max(0, endsAt - now) });
  await deps.audit.append({
    type: 'silence.created',
    actor: request.requestedBy,
    subject: request.key,
    outcome: 'ok',
    detail: { requestId: request.requestId, silenceId: id, createdBy, approvedBy: request.approvedBy ?? null, matchers: toFilterMatchers(matchers), startsAt: new Date(startsAt).toISOString(), endsAt: new Date(endsAt).toISOString(), reason: request.reason ?? null },
  });
  return `silenced: ${id}`;
}

async function findMade(api: SilenceApi, matchers: ReturnType<typeof buildSilenceMatchers>, requestId: string) {
  const tag = tagOf(requestId);
  return (await api.list(toFilterMatchers(matchers))).find((silence) => silence.comment.includes(tag) && silence.status.state !== 'expired');
}

// A silence on a closed incident would hide the group's next incident: whatever this request made goes.
async function expireMade(deps: SilenceJobDeps, request: CreateRequest, incident: Incident, why: string): Promise<string> {
  let made: string | undefined;
  const target = (() => {
    // Without labels or an address, this request cannot have made a silence: nothing to look for.
    try {
      return { matchers: buildSilenceMatchers(incident), api: resolveAlertmanagerApi(deps.settings.alertmanager.apiUrl, incident.externalURL) };
    } catch {
      return undefined;
    }
  })();
  if (target !== undefined) {
    const api = createSilenceApi(target.api, { scrub: deps.scrub, timeoutMs: deps.timeoutMs });
    made = (await findMade(api, target.matchers, request.requestId))?.id;
    if (made !== undefined) await api.expire(made);
  }
  await deps.audit.append({ type: 'silence.refused', actor: request.requestedBy, subject: request.key, outcome: 'closed', detail: { requestId: request.requestId, expired: made ?? null, summary: why } });
  return `not silenced: ${why}${made ? ` (silence ${made} expired)` : ''}`;
}
