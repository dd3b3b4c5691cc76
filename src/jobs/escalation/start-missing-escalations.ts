import type { Logger } from 'pino';
import type { AuditLog } from '../../audit/audit-log.js';
import type { Config } from '../../config/config-schema.js';
import { selectEscalationPolicy } from '../../escalation/select-escalation-policy.js';
import type { IncidentStore } from '../../incidents/create-incident-store.js';
import type { Work } from '../../ports/work.js';
import { toJobIdPart, type Queues } from '../create-queues.js';

/** What {@link startMissingEscalations} needs. */
export interface StartMissingEscalationsDeps {
  config: Pick<Config, 'escalation' | 'routes'>;
  store: IncidentStore;
  queues: Pick<Queues, 'escalation'>;
  work: Pick<Work, 'scheduleEscalation' | 'refreshCards'>;
  audit: AuditLog;
  logger: Logger;
  now: () => number;
}

/** Open incidents looked at, newest first. */
const MAX_INCIDENTS = 10_000;

/**
 * Starts the escalation chain of open incidents that never had one — they opened while no policy
 * applied to them (the dispatch job starts a chain only then) — once a policy does: when a process
 * with workers starts with the configuration that brought it. Such an incident is open, nobody
 * acknowledged it, nothing stopped its escalation, no step was ever taken (`escalation`), no chain
 * was started for it since (`escalationFrom`), and BullMQ holds no point of a chain from its
 * opening (the start or the first step, kept a day after they ran). Its chain counts from now, not
 * from the opening, so its people are reached by the first step, not by every step at once. Once
 * across replicas starting together (the mark is set only where it is unset). Returns how many
 * chains it started.
 */
export async function startMissingEscalations(deps: StartMissingEscalationsDeps): Promise<number> {
  if (Object.keys(deps.config.escalation.policies).length === 0) return 0;
  let started = 0;
  for (const incident of await deps.store.listOpen(MAX_INCIDENTS)) {
    if (incident.phase === 'closed' || incident.acknowledgedBy !== undefined || incident.escalationStopped !== undefined) continue;
    if (incident.escalation !== undefined || incident.escalationFrom !== undefined) continue;
    const policy = selectEscalationPolicy(deps.config, incident);
    if (!policy) continue;
    const id = toJobIdPart(incident.key);
    const [start, first] = await Promise.all([deps.queues.escalation.getJob(`escalation.${id}.start`), deps.queues.escalation.getJob(`escalation.${id}.s0.r0`)]);
    if (start !== undefined || first !== undefined) continue;
    const now = deps.now();
    const result = await deps.store.patch(
      incident.key,
      {
        set: { escalationFrom: now },
        timeline: [{ at: now, kind: 'escalation', text: `Escalation started: policy ${policy.name} applies, and none did when the incident opened` }],
        unlessPhase: 'closed',
        requireUnset: 'escalationFrom',
      },
      now,
    );
    if (result.outcome !== 'applied' || result.incident.acknowledgedBy !== undefined) continue;
    await deps.work.scheduleEscalation(incident.key, { start: true, from: now }, 0);
    await deps.work.refreshCards(incident.key, result.incident.version, result.incident.destinations);
    await deps.audit.append({ type: 'incident.escalation_started', actor: 'warden', subject: incident.key, outcome: 'ok', detail: { policy: policy.name } });
    started++;
  }
  if (started > 0) deps.logger.info({ started }, 'escalation started for open incidents that opened before a policy applied to them');
  return started;
}
