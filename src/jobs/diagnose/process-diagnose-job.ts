import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { AuditLog } from '../../audit/audit-log.js';
import type { CheckContext } from '../../probes/check-context.js';
import { runProbe } from '../../probes/run-probe.js';
import type { Config } from '../../config/config-schema.js';
import type { IncidentStore } from '../../incidents/create-incident-store.js';
import type { DiagnoseJobData } from '../create-queues.js';
import { listDiagnosisProbes } from '../../probes/list-diagnosis-probes.js';
import type { Work } from '../../ports/work.js';

/** What a diagnose job needs. */
export interface DiagnoseDeps {
  store: IncidentStore;
  work: Work;
  actions: Config['actions'];
  logger: Logger;
  audit: AuditLog;
  now: () => number;
  /** What built-in probes may use (Redis, the audit stream, the self-audit). */
  checkContext?: CheckContext;
}

/**
 * Runs the incident's analyze-phase probes concurrently, records their results on the incident
 * (latest per probe and target, plus the timeline) and queues card updates. A probe that fails is a
 * result, not a job failure; only losing Redis makes the job retry. Start and result are audited.
 */
export async function processDiagnoseJob(job: Job<DiagnoseJobData>, deps: DiagnoseDeps): Promise<string> {
  const view = await deps.store.view(job.data.key);
  if (!view) return 'incident gone';
  if (view.incident.phase === 'closed') return 'incident closed';
  const probes = listDiagnosisProbes(deps.actions);
  if (probes.length === 0) return 'no probes configured';

  const detail = { queue: 'diagnose', reason: job.data.reason, probes: probes.map(([id]) => id), attempt: job.attemptsMade + 1 };
  await deps.audit.append({ type: 'job.started', actor: 'warden', subject: job.data.key, detail });
  const results = (await Promise.all(probes.map(([id, action]) => runProbe(id, action, view.incident, view.alerts, { context: deps.checkContext })))).flat();
  const outcome = await deps.store.recordDiagnosis(job.data.key, results, deps.now());
  if (outcome.outcome === 'missing') return 'incident gone';
  const failed = results.filter((r) => !r.ok).length;
  // Audited before the cards show the results: a crash in between leaves no result unaudited.
  await deps.audit.append({
    type: 'job.completed',
    actor: 'warden',
    subject: job.data.key,
    outcome: failed === 0 ? 'ok' : 'failed',
    detail: { ...detail, results: results.length, failing: failed },
  });
  await deps.work.refreshCards(outcome.incident.key, outcome.incident.version, outcome.incident.destinations);
  return `${results.length} probe results, ${failed} failing`;
}
