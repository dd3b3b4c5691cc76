import type { Job } from 'bullmq';
import type { AuditLog } from '../../audit/audit-log.js';
import type { Config } from '../../config/config-schema.js';
import type { IncidentStore } from '../../incidents/create-incident-store.js';
import type { DispatchJobData, Queues } from '../create-queues.js';
import { listDiagnosisProbes } from '../diagnose/process-diagnose-job.js';
import { buildCardUpdateJobs } from '../enqueue-card-updates.js';

/** What a dispatch job needs. */
export interface DispatchDeps {
  store: IncidentStore;
  queues: Queues;
  actions: Config['actions'];
  audit: AuditLog;
}

/**
 * Queues the card updates (and, for incidents that just opened, the diagnosis) that the incidents of
 * a batch of intake notifications still need, then marks each incident's jobs as queued so
 * redeliveries need not queue them again. What is needed is read from the store, not from the job:
 * a job for a batch that changed nothing queues nothing, and every job id is deterministic, so
 * running this twice adds nothing twice. An incident that opened is audited here, off the intake path
 * (again only if the job is retried before its jobs were confirmed).
 */
export async function processDispatchJob(job: Job<DispatchJobData>, deps: DispatchDeps): Promise<string> {
  const items = await deps.store.listUndispatched(job.data.groupKeys);
  const notifyJobs = items.flatMap((item) => buildCardUpdateJobs(item.key, item.version, item.destinations));
  const diagnoseJobs =
    listDiagnosisProbes(deps.actions).length > 0
      ? items
          .filter((item) => item.opened)
          .map((item) => ({ name: 'diagnose', data: { key: item.key, reason: 'opened' as const }, opts: { jobId: `diagnose.${item.key}.opened` } }))
      : [];
  await Promise.all([
    notifyJobs.length > 0 ? deps.queues.notify.addBulk(notifyJobs) : undefined,
    diagnoseJobs.length > 0 ? deps.queues.diagnose.addBulk(diagnoseJobs) : undefined,
  ]);
  for (const item of items.filter((i) => i.opened)) {
    await deps.audit.append({
      type: 'incident.opened',
      actor: 'alertmanager',
      subject: item.key,
      detail: { title: item.title, severity: item.severity, destinations: item.destinations },
    });
  }
  await deps.store.confirmJobs(items);
  return `${notifyJobs.length} card updates, ${diagnoseJobs.length} diagnoses queued`;
}
