import { Worker, type Job, type Processor } from 'bullmq';
import type { RedisClient } from '../redis/redis-client.js';
import type { Logger } from 'pino';
import type { WardenMetrics } from '../observability/create-metrics.js';
import { createLockHolds } from './create-lock-holds.js';
import { governWorkerConcurrency } from './govern-worker-concurrency.js';
import { JOB_LOCK_MS } from './job-lock.js';
import { processChecklistsJob, type ChecklistsJobDeps } from './checklists/process-checklists-job.js';
import type { ChecklistsJobData, DiagnoseJobData, DispatchJobData, InboundJobData, NotifyJobData, MaintenanceJobData, QueueName, RemediateJobData } from './create-queues.js';
import { processInboundJob, type InboundDeps } from './inbound/process-inbound-job.js';
import { processRemediateJob, type RemediateDeps } from './remediate/process-remediate-job.js';
import { processMaintenanceJob, type MaintenanceDeps } from './maintenance/process-maintenance-job.js';
import { processDispatchJob, type DispatchDeps } from './dispatch/process-dispatch-job.js';
import { processDiagnoseJob, type DiagnoseDeps } from './diagnose/process-diagnose-job.js';
import type { NotifyDeps } from './notify/notify-deps.js';
import { processNoticeJob } from './notify/process-notice-job.js';
import { processNotifyJob } from './notify/process-notify-job.js';
import { processDigestJob } from './notify/process-digest-job.js';
import { processRunCardJob } from './notify/process-run-card-job.js';
import { processSilenceJob, type SilenceDeps } from './silences/process-silence-job.js';
import type { SilenceJobData } from './silences/to-silence-job.js';
import { processBuzzJob } from './notify/process-buzz-job.js';
import { processEscalationJob } from './escalation/process-escalation-job.js';
import type { EscalationDeps } from '../escalation/escalation-deps.js';
import type { EscalationJobData } from './create-queues.js';
import { processWarRoomJob, type WarRoomJobDeps } from './war-rooms/process-war-room-job.js';
import type { WarRoomJobData } from './war-rooms/war-room-job-data.js';

/** Options for {@link startWorkers}. */
export interface StartWorkersOptions {
  /** A connection with `maxRetriesPerRequest: null`; BullMQ duplicates it for blocking reads. */
  connection: RedisClient;
  prefix: string;
  dispatch: DispatchDeps;
  notify: NotifyDeps;
  diagnose: DiagnoseDeps;
  inbound: InboundDeps;
  remediate: RemediateDeps;
  maintenance: MaintenanceDeps;
  checklists: ChecklistsJobDeps;
  silences: SilenceDeps;
  escalation: EscalationDeps;
  warRooms: WarRoomJobDeps;
  metrics: WardenMetrics;
  logger: Logger;
  /** Jobs processed at once per queue. */
  concurrency?: Partial<Record<QueueName, number>>;
  /**
   * Each worker's job lock (`lockDuration`) in ms; locks are renewed every half of it and stalled
   * jobs looked for every quarter. A job whose worker died is retried at most 1.25 times this long
   * after the death. Default {@link JOB_LOCK_MS}.
   */
  lockMs?: number;
  /**
   * The process also answers webhooks and clicks (`--role all`): the queues' workers take fewer
   * jobs at once while the event loop runs late (see `governWorkerConcurrency`), so that intake
   * and acknowledgements never wait behind job processing. `targetDelayMs` defaults to 20.
   */
  intakeFirst?: { targetDelayMs?: number };
}

/** Running workers; `close` lets active jobs finish for up to `graceMs`, then stops them. */
export interface Workers {
  close(graceMs: number): Promise<void>;
}

/** `notify` jobs other than incident cards (`card`), by job name. */
const notifyProcessors: Record<string, typeof processNotifyJob | undefined> = {
  'checklist-card': processRunCardJob,
  notice: processNoticeJob,
  buzz: processBuzzJob,
  digest: processDigestJob,
};

/** Queues whose workers keep their concurrency while the intake is busy. */
const UNGOVERNED: ReadonlySet<string> = new Set<QueueName>(['remediate', 'maintenance']);

/** Starts one BullMQ worker per queue. */
export function startWorkers(options: StartWorkersOptions): Workers {
  const { connection, prefix, metrics, logger } = options;
  const lockMs = options.lockMs ?? JOB_LOCK_MS;
  const lock = { lockDuration: lockMs, lockRenewTime: lockMs / 2, stalledInterval: lockMs / 4 };
  const start = <T>(name: QueueName, processor: Processor<T>, concurrency: number) => new Worker<T>(name, processor, { connection, prefix, ...lock, concurrency });
  const wanted = (name: QueueName, fallback: number) => options.concurrency?.[name] ?? fallback;
  const remediate = start<RemediateJobData>(
    'remediate',
    // Three parameters: BullMQ passes the abort signal only to processors that take it.
    (job, token, signal) => processRemediateJob(job, options.remediate, { signal, lock: token === undefined ? undefined : holdLock(job, token) }),
    wanted('remediate', 4),
  );
  const holdLock = createLockHolds(remediate, lockMs);
  const workers = [
    start<DispatchJobData>('dispatch', (job, token) => processDispatchJob(job, options.dispatch, token ?? ''), wanted('dispatch', 8)),
    start<NotifyJobData>(
      'notify',
      (job, token) => notifyProcessors[job.name]?.(job, token ?? '', options.notify) ?? processNotifyJob(job, token ?? '', options.notify),
      wanted('notify', 16),
    ),
    start<DiagnoseJobData>('diagnose', (job) => processDiagnoseJob(job, options.diagnose), wanted('diagnose', 4)),
    start<InboundJobData>('inbound', (job) => processInboundJob(job, options.inbound), wanted('inbound', 8)),
    remediate,
    // Not configurable: housekeeping jobs run one at a time.
    start<MaintenanceJobData>('maintenance', (job) => processMaintenanceJob(job, options.maintenance), 1),
    start<ChecklistsJobData>('checklists', (job) => processChecklistsJob(job, options.checklists), wanted('checklists', 2)),
    start<SilenceJobData>('silences', (job) => processSilenceJob(job, options.silences), wanted('silences', 4)),
    start<EscalationJobData>('escalation', (job) => processEscalationJob(job, options.escalation), wanted('escalation', 4)),
    start<WarRoomJobData>('war-rooms', (job, token) => processWarRoomJob(job, token ?? '', options.warRooms), wanted('war-rooms', 2)),
  ];
  // Remediations run programs of their own and housekeeping runs one job at a time: neither is held back.
  const governor = options.intakeFirst
    ? governWorkerConcurrency({
        workers: workers.filter((worker) => !UNGOVERNED.has(worker.name)).map((worker) => ({ worker, max: worker.concurrency })),
        targetDelayMs: options.intakeFirst.targetDelayMs,
        onChange: (queue, concurrency) => metrics.workerConcurrency.set({ queue }, concurrency),
      })
    : undefined;
  for (const worker of workers) metrics.workerConcurrency.set({ queue: worker.name }, worker.concurrency);
  for (const worker of workers) {
    const queue = worker.name;
    // A processor that takes an abort signal stops what it started (an exec program) once another worker may take over.
    worker.on('lockRenewalFailed', (jobIds: string[]) => jobIds.forEach((jobId) => worker.cancelJob(jobId, 'its job lock was lost')));
    worker.on('completed', (job: Job, result: unknown) => {
      metrics.jobsProcessed.inc({ queue, outcome: 'completed' });
      logger.debug({ queue, jobId: job.id, result }, 'job completed');
    });
    worker.on('failed', (job: Job | undefined, error: Error) => {
      const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError';
      metrics.jobsProcessed.inc({ queue, outcome: final ? 'failed' : 'retried' });
      logger[final ? 'error' : 'warn']({ queue, jobId: job?.id, attempts: job?.attemptsMade, err: error }, final ? 'job failed' : 'job will be retried');
    });
    worker.on('error', (error: Error) => logger.error({ queue, err: error }, 'worker error'));
  }

  return {
    async close(graceMs) {
      governor?.stop();
      await Promise.all(
        workers.map(async (worker) => {
          let timer: NodeJS.Timeout | undefined;
          const graceful = worker.close();
          const expired = new Promise<'expired'>((resolve) => {
            timer = setTimeout(() => resolve('expired'), graceMs);
          });
          if ((await Promise.race([graceful, expired])) === 'expired') {
            logger.warn({ queue: worker.name, graceMs }, 'active jobs did not finish in time; stopping them (they will be retried)');
            worker.cancelAllJobs('Warden is stopping');
            await worker.close(true);
          }
          clearTimeout(timer);
        }),
      );
    },
  };
}
