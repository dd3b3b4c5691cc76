import { createHash } from 'node:crypto';
import type { IncidentOperationResult } from '../incidents/incident-operation.js';
import { describeTargets, resolveTargets } from '../oncall/resolve-targets.js';
import type { EscalationDeps } from './escalation-deps.js';
import { notifyTargets } from './notify-targets.js';
import { say, sayWith } from '../shared/messages/say.js';
import { localize, localizeWith } from '../shared/messages/localize.js';
import { localizeNotice } from '../shared/messages/localize-notice.js';

/**
 * `/incident page <key> <target>`: reaches `target` — a rotation (whoever is on call now), a group,
 * a person or an identity — at once: mentioned in the incident's channels, by direct message and,
 * on Lark, by an urgent notification of the card. On the timeline and in the audit log.
 * `requestId` (the command's delivery id) makes a retried job page once.
 */
export async function pageIncident(deps: Pick<EscalationDeps, 'config' | 'store' | 'work' | 'audit' | 'now' | 'calendars'>, key: string, target: string, actor: string, requestId: string): Promise<IncidentOperationResult> {
  const incident = await deps.store.get(key);
  if (!incident) return { outcome: 'refused', ...say('op.incident.unknown', { key }) };
  if (incident.phase === 'closed') return { outcome: 'refused', ...say('op.page.closed', { key }) };
  const now = deps.now();
  const resolved = resolveTargets(deps.config, [target], now, (await deps.calendars?.read())?.shifts);
  if (resolved.targets[0]?.kind === 'unknown') {
    const known = [...Object.keys(deps.config.oncall.rotations), ...Object.keys(deps.config.access.groups), ...Object.keys(deps.config.access.people)];
    return { outcome: 'refused', ...(known.length > 0 ? say('op.page.unknownTargetTry', { target, known: known.slice(0, 20).join(', ') }) : say('op.page.unknownTarget', { target })) };
  }
  if (resolved.identities.length === 0) return { outcome: 'refused', ...sayWith((t) => t('op.page.noIdentity', { targets: describeTargets(t, resolved.parts) })) };
  const id = `page.${key}.${createHash('sha256').update(requestId).digest('hex').slice(0, 24)}`;
  // A retried command finds its page on the timeline: the messages are queued again under the same ids, nothing is noted twice.
  const paged = (await deps.store.timeline(key, 50)).some((entry) => entry.kind === 'page' && entry.data?.id === id);
  if (!paged) await deps.store.appendTimeline(key, { at: now, kind: 'page', text: `Paged ${resolved.description} (by ${actor})`, actor, data: { id, target, identities: resolved.identities } });
  await notifyTargets(deps.work, incident, resolved, {
    id,
    ...localizeNotice(
      localize('notice.page.title', { title: incident.title, severity: incident.severity }),
      localizeWith((t) => t('notice.page.text', { actor, targets: describeTargets(t, resolved.parts), key })),
    ),
    buzz: true,
  });
  if (!paged) await deps.audit.append({ type: 'incident.paged', actor, subject: key, outcome: 'ok', detail: { target, identities: resolved.identities } });
  return { outcome: 'changed', incident, ...sayWith((t) => t('op.page.done', { targets: describeTargets(t, resolved.parts), key })) };
}
