import type { Job } from 'bullmq';
import type { AuditLog } from '../../audit/audit-log.js';
import type { Config } from '../../config/config-schema.js';
import type { IncidentStore } from '../../incidents/create-incident-store.js';
import type { DispatchJobData, Queues } from '../create-queues.js';
import { listDiagnosisProbes } from '../diagnose/process-diagnose-job.js';
import { buildCardUpdateJobs } from '../enqueue-card-updates.js';
import { postponeJob } from '../postpone-job.js';

/** What a dispatch job needs. */
export interface DispatchDeps {
  store: IncidentStore;
  queues: Queues;
  actions: Config['actions'];
  audit: AuditLog;
}

/**
 * How long a dispatch job waits for its batch to be recorded. Intake sends the script and the job
 * together, so the wait is normally a few milliseconds; a batch still missing after this was never
 * stored (intake answered 503, and Alertmanager's redelivery brings a batch and a job of its own).
 */
export const BATCH_WAIT_MS = 30_000;
const BATCH_RECHECK_MS = 100;

/**
 * Queues the card updates (and, for incidents that just opened, the diagnosis) that the incidents of
 * a batch of intake notifications still need, then marks each incident's jobs as queued so
 * redeliveries need not queue them again. What is needed is read from the store, not from the job:
 * a job for a batch that changed nothing queues nothing, and every job id is deterministic, so
 * running this twice adds nothing twice. An incident that opened is audited here, off the intake path
 * (again only if the job is retried before its jobs were confirmed).
 *
 * A job that names its batch runs only once the batch is recorded: until then it is put back for a
 * moment without spending an attempt, and after {@link BATCH_WAIT_MS} it ends having done nothing.
 */
export async function processDispatchJob(job: Job<DispatchJobData>, deps: DispatchDeps, token: string): Promise<string> {
  const { batch } = job.data;
  if (batch && !(await deps.store.isBatchRecorded(batch))) {
    // Both sides are BullMQ's clock (the system's): job.timestamp is when the job was added.
    if (Date.now() - job.timestamp < BATCH_WAIT_MS) return postponeJob(job, token, BATCH_RECHECK_MS);
    return 'batch never recorded: nothing to dispatch';
  }
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
  if (batch) await deps.store.forgetBatch(batch);
  return `${notifyJobs.length} card updates, ${diagnoseJobs.length} diagnoses queued`;
}
