import type { Logger } from 'pino';
import type { AuditLog } from '../../audit/audit-log.js';
import type { Config } from '../../config/config-schema.js';
import { selectEscalationPolicy } from '../../escalation/select-escalation-policy.js';
import { startLaterEscalation } from '../../escalation/start-later-escalation.js';
import type { IncidentStore } from '../../incidents/create-incident-store.js';
import type { Work } from '../../ports/work.js';
import type { Queues } from '../create-queues.js';
import { toEscalationJobId } from '../create-escalation-work.js';

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
 * from the opening (`startLaterEscalation`), so its people are reached by the first step, not by
 * every step at once. Once across replicas starting together (the mark is set only where it is
 * unset). Returns how many chains it started.
 */
export async function startMissingEscalations(deps: StartMissingEscalationsDeps): Promise<number> {
  if (Object.keys(deps.config.escalation.policies).length === 0) return 0;
  let started = 0;
  for (const incident of await deps.store.listOpen(MAX_INCIDENTS)) {
    if (incident.phase === 'closed' || incident.acknowledgedBy !== undefined || incident.escalationStopped !== undefined) continue;
    if (incident.escalation !== undefined || incident.escalationFrom !== undefined) continue;
    const policy = selectEscalationPolicy(deps.config, incident);
    if (!policy) continue;
    const points = await Promise.all([{ start: true as const }, { step: 0, repeat: 0 }].map((point) => deps.queues.escalation.getJob(toEscalationJobId(incident.key, point))));
    if (points.some((job) => job !== undefined)) continue;
    const begun = await startLaterEscalation(deps, incident.key, {
      text: `Escalation started: policy ${policy.name} applies, and none did when the incident opened`,
      requireUnset: 'escalationFrom',
      audit: { type: 'incident.escalation_started', actor: 'warden', detail: { policy: policy.name } },
    });
    if (begun) started++;
  }
  if (started > 0) deps.logger.info({ started }, 'escalation started for open incidents that opened before a policy applied to them');
  return started;
}
