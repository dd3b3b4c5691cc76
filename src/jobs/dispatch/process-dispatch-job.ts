import type { Job } from 'bullmq';
import type { AuditLog } from '../../audit/audit-log.js';
import type { Config } from '../../config/config-schema.js';
import type { IncidentStore } from '../../incidents/create-incident-store.js';
import type { DispatchJobData, Queues } from '../create-queues.js';
import { listDiagnosisProbes } from '../../probes/list-diagnosis-probes.js';
import { buildCardUpdateJobs } from '../enqueue-card-updates.js';
import { postponeJob } from '../postpone-job.js';
import { routeCardUpdates, type CardRouting } from './route-card-updates.js';
import { toSilenceJob } from '../silences/to-silence-job.js';
import { createEscalationWork } from '../create-escalation-work.js';
import { createWarRoomWork } from '../war-rooms/create-war-room-work.js';

/** What a dispatch job needs. */
export interface DispatchDeps {
  store: IncidentStore;
  queues: Queues;
  actions: Config['actions'];
  audit: AuditLog;
  /** Incidents whose alerts all resolved at the source get their Alertmanager silence expired (`alertmanager.silence.expireOnResolve`). */
  expireSilencesOnResolve?: boolean;
  /** Escalation policies are configured: incidents that open start their escalation chain. */
  escalate?: boolean;
  /** A route or severity opens war rooms automatically: incidents that open ask for theirs (the job checks whether they get one). */
  warRooms?: boolean;
  /**
   * Claims each card as the job runs, so that incidents past a destination's storm limit join its
   * digest at once instead of queueing a `notify` job each (see `routeCardUpdates`). Without it,
   * every card update is a `notify` job, which claims the card when it runs.
   */
  cards?: CardRouting;
}

/**
 * How often a dispatch job looks for its batch before it gives up: after 100 ms, then twice as long
 * each time up to 5 s, about 50 s in all. Intake sends the script and the job together, so one
 * look is normally enough; a batch still missing after all of them was never stored (intake
 * answered 503, and Alertmanager's redelivery brings a batch and a job of its own). Counted, not
 * timed: the producer's and the workers' clocks need not agree.
 */
export const MAX_BATCH_LOOKS = 16;
const FIRST_RECHECK_MS = 100;
const MAX_RECHECK_MS = 5_000;

/**
 * Queues the card updates (and, for incidents that just opened, the diagnosis) that the incidents of
 * a batch of intake notifications still need, then marks each incident's jobs as queued so
 * redeliveries need not queue them again. What is needed is read from the store, not from the job:
 * a job for a batch that changed nothing queues nothing, and every job id is deterministic, so
 * running this twice adds nothing twice. An incident that opened is audited here, off the intake path
 * (again only if the job is retried before its jobs were confirmed).
 *
 * A job that names its batch runs only once the batch is recorded: until then it is put back for a
 * moment without spending an attempt, and after {@link MAX_BATCH_LOOKS} looks it ends having done
 * nothing.
 */
export async function processDispatchJob(job: Job<DispatchJobData>, deps: DispatchDeps, token: string): Promise<string> {
  const { batch, looks = 0 } = job.data;
  // One round trip for both: the batch's mark is read first on the same connection, so when it is
  // there the incidents read after it are as its record script left them (or newer).
  const [recorded, items] = await Promise.all([batch ? deps.store.isBatchRecorded(batch) : true, deps.store.listUndispatched(job.data.groupKeys)]);
  if (!recorded) {
    if (looks + 1 >= MAX_BATCH_LOOKS) return 'batch never recorded: nothing to dispatch';
    await job.updateData({ ...job.data, looks: looks + 1 });
    return postponeJob(job, token, Math.min(MAX_RECHECK_MS, FIRST_RECHECK_MS * 2 ** looks));
  }
  const notifyJobs = deps.cards ? await routeCardUpdates(job, items, deps.cards) : items.flatMap((item) => buildCardUpdateJobs(item.key, item.version, item.destinations));
  const diagnoseJobs =
    listDiagnosisProbes(deps.actions).length > 0
      ? items
          .filter((item) => item.opened)
          .map((item) => ({ name: 'diagnose', data: { key: item.key, reason: 'opened' as const }, opts: { jobId: `diagnose.${item.key}.opened` } }))
      : [];
  // Same job id as the expiry a close asks for: whichever comes first expires the silence, once.
  const silenceJobs = deps.expireSilencesOnResolve
    ? items
        .filter((item) => item.resolved === true && item.silenceId !== undefined)
        .map((item) => toSilenceJob({ op: 'expire', key: item.key, requestId: `end-${item.silenceId}`, requestedBy: 'warden', silenceId: item.silenceId!, why: 'resolved' }))
    : [];
  await Promise.all([
    notifyJobs.length > 0 ? deps.queues.notify.addBulk(notifyJobs) : undefined,
    diagnoseJobs.length > 0 ? deps.queues.diagnose.addBulk(diagnoseJobs) : undefined,
    silenceJobs.length > 0 ? deps.queues.silences.addBulk(silenceJobs) : undefined,
    deps.escalate ? Promise.all(items.filter((item) => item.opened).map((item) => createEscalationWork(deps.queues).scheduleEscalation(item.key, { start: true }, 0))) : undefined,
    deps.warRooms ? Promise.all(items.filter((item) => item.opened).map((item) => createWarRoomWork(deps.queues).openWarRoom({ key: item.key, requestedBy: 'warden', auto: true, attempt: 0 }))) : undefined,
  ]);
  // Appended together (one script call for the batch), in the batch's order.
  await Promise.all(
    items
      .filter((item) => item.opened)
      .map((item) =>
        deps.audit.append({
          type: 'incident.opened',
          actor: 'alertmanager',
          subject: item.key,
          detail: { title: item.title, severity: item.severity, destinations: item.destinations },
        }),
      ),
  );
  await deps.store.confirmJobs(items, batch);
  return `${notifyJobs.length} card updates, ${diagnoseJobs.length} diagnoses queued`;
}
