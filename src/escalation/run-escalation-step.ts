import type { Incident } from '../model/incident.js';
import { describeTargets, resolveTargets } from '../oncall/resolve-targets.js';
import { formatEscalationPoint, type EscalationPoint } from '../ports/escalation-work.js';
import type { EscalationDeps } from './escalation-deps.js';
import { findEscalationHold } from './find-escalation-hold.js';
import { notifyTargets } from './notify-targets.js';
import { planEscalation, type PlannedNotification } from './plan-escalation.js';
import { selectEscalationPolicy } from './select-escalation-policy.js';
import { localize, localizeWith } from '../shared/messages/localize.js';
import { localizeNotice } from '../shared/messages/localize-notice.js';

/**
 * Runs one point of incident `key`'s escalation chain, when its (delayed) job fires. It re-reads
 * the incident first: a closed, acknowledged or stopped incident ends the chain here. `start`
 * chooses the policy and schedules the first step; a step records itself on the incident (the card
 * shows it, the timeline and the audit log keep it) — only while the incident is open and
 * unacknowledged, in the same atomic change — notifies its targets and schedules the next point
 * (a step due while the source reports the alerts resolved notifies nobody and moves on),
 * timed from when the incident opened, so restarts and retries shift nothing. A retry finds its
 * step recorded and only re-queues what it sends, under the same ids.
 */
export async function runEscalationStep(deps: EscalationDeps, key: string, point: EscalationPoint): Promise<string> {
  const incident = await deps.store.get(key);
  if (!incident) return 'the incident is gone';
  const now = deps.now();
  const hold = findEscalationHold(incident, now);
  if (hold !== undefined) return `escalation ended: ${hold}`;
  // The chain in force counts from the opening, or from when a later chain started; an earlier chain's points end here.
  const from = incident.escalationFrom;
  if (point.from !== from) return 'escalation restarted since this point was scheduled: it belongs to an earlier chain';
  const chainStart = from ?? incident.openedAt;
  const chain = from === undefined ? {} : { from };
  const selected = selectEscalationPolicy(deps.config, incident);
  if (!selected) return 'no escalation policy applies';
  const plan = planEscalation(selected.policy);
  const scheduleAfter = async (index: number) => {
    const next = plan[index];
    if (next === undefined) return 'last step';
    await deps.work.scheduleEscalation(key, { step: next.step, repeat: next.repeat, ...chain }, chainStart + next.afterMinutes * deps.minuteMs - now);
    return `next: step ${next.step + 1}${next.repeat > 0 ? ` repeat ${next.repeat}` : ''}`;
  };
  if ('start' in point) return `policy ${selected.name}, ${await scheduleAfter(0)}`;
  const index = plan.findIndex((p) => p.step === point.step && p.repeat === point.repeat);
  const planned = plan[index];
  if (planned === undefined) return `policy ${selected.name} has no step ${point.step + 1} repeat ${point.repeat} (the configuration changed): escalation ended`;
  // Nobody is woken for alerts the source reports resolved; should they fire again, the chain goes on.
  if (incident.status === 'resolved') return `step ${planned.step + 1} repeat ${planned.repeat} skipped: the source reports the alerts resolved; ${await scheduleAfter(index + 1)}`;
  const step = selected.policy.steps[planned.step]!;
  const resolved = resolveTargets(deps.config, step.notify, now, (await deps.calendars?.read())?.shifts);
  const recorded = incident.escalation?.policy === selected.name && incident.escalation.step === planned.step && incident.escalation.repeat === planned.repeat && incident.escalation.from === from;
  let current: Incident = incident;
  if (!recorded) {
    const result = await deps.store.patch(
      key,
      {
        set: { escalation: { policy: selected.name, step: planned.step, repeat: planned.repeat, at: now, to: resolved.description, toParts: resolved.parts, ...chain } },
        timeline: [{ at: now, kind: 'escalation', text: `Escalated to ${resolved.description}: ${describePoint(planned, from !== undefined)}`, data: { policy: selected.name, step: planned.step, repeat: planned.repeat, identities: resolved.identities, ...chain } }],
        unlessPhase: 'closed',
        requireUnset: 'acknowledgedBy',
      },
      now,
    );
    if (result.outcome !== 'applied') return 'escalation ended: acknowledged or closed meanwhile';
    current = result.incident;
    await deps.work.refreshCards(key, current.version, current.destinations);
    await deps.audit.append({
      type: 'incident.escalated',
      actor: 'warden',
      subject: key,
      outcome: resolved.identities.length > 0 ? 'ok' : 'nobody',
      detail: { policy: selected.name, step: planned.step + 1, repeat: planned.repeat, targets: step.notify, identities: resolved.identities },
    });
    deps.countEscalation?.(incident);
  }
  await notifyTargets(deps.work, current, resolved, {
    id: `escalation.${key}${formatEscalationPoint({ step: planned.step, repeat: planned.repeat, ...chain })}`,
    ...localizeNotice(
      localize('notice.escalation.title', { title: incident.title, severity: incident.severity }),
      localizeWith((t) => {
        const targets = describeTargets(t, resolved.parts);
        const reach = resolved.identities.length > 0 ? t('notice.escalation.reached', { targets }) : t('notice.escalation.nobody', { targets });
        return t(from === undefined ? 'notice.escalation.text' : 'notice.escalation.textChain', { key, minutes: planned.afterMinutes, reach });
      }),
    ),
    buzz: step.buzz,
  });
  return `step ${planned.step + 1} repeat ${planned.repeat} to ${resolved.identities.length} identities; ${await scheduleAfter(index + 1)}`;
}

function describePoint(point: PlannedNotification, later: boolean): string {
  return `step ${point.step + 1}${point.repeat > 0 ? `, repeat ${point.repeat}` : ''}, not acknowledged ${point.afterMinutes} min after ${later ? 'its escalation started' : 'it opened'}`;
}
