import { Queue, type DefaultJobOptions } from 'bullmq';
import type { RedisClient } from '../redis/redis-client.js';
import type { InboundEvent } from '../model/inbound-event.js';
import type { Notice, RemediationRequest } from '../ports/work.js';
import type { SilenceJobData } from './silences/to-silence-job.js';
import type { EscalationPoint } from '../ports/escalation-work.js';
import type { WarRoomJobData } from './war-rooms/war-room-job-data.js';

/**
 * Data of a `notify` job. Job `card`: bring incident `key`'s card in `destination` up to date;
 * `checklist-card`: the same for checklist run `key`; `notice`: post `notice` once (a reminder, an
 * escalation, a missed schedule slot) to `destination`, or privately to `privateTo` (an identity).
 */
export interface NotifyJobData {
  key: string;
  destination: string;
  notice?: NoticeJobData;
  privateTo?: string;
  /** Job `buzz`: urgently notify these identities about incident `key`'s card in `destination` (Lark). */
  buzz?: string[];
  /** Job `digest`: send the storm digest of `destination` for this minute (`key` is `digest.<minute>`). */
  minute?: number;
}

/** A one-off message the `notify` queue posts within the destination's budget. No secrets: it is job data. */
export type NoticeJobData = Notice;

/**
 * Data of a `checklists` job: `start` a scheduled run (from a job scheduler; the slot is the job's
 * schedule time), `check` a run's automated items (all, or `itemIds`), or `sweep` open runs
 * (reminders, escalation) and schedules (missed slots).
 */
export type ChecklistsJobData =
  | { task: 'start'; checklistId: string }
  /** `post`: the run's cards are not posted yet; post them once the checks are recorded (also when none could run). */
  | { task: 'check'; runId: string; itemIds?: string[]; post?: boolean }
  | { task: 'sweep' };

/** Data of a `diagnose` job: run the incident's analyze-phase probes. */
export interface DiagnoseJobData {
  key: string;
  reason: 'opened' | 'requested';
}

/**
 * Data of a `dispatch` job: queue the card and diagnosis jobs that the open incidents of these
 * Alertmanager groups still need (a batch of intake notifications names its groups).
 */
export interface DispatchJobData {
  groupKeys: string[];
  /**
   * The intake batch that named them: the job waits until the batch is recorded (it is sent at the
   * same time as the record script, on another connection). Absent in jobs queued without a batch.
   */
  batch?: string;
  /** How often the job has looked for its batch in vain (see `processDispatchJob`). */
  looks?: number;
}

/** Data of a `remediate` job: one {@link RemediationRequest}, run once. */
export type RemediateJobData = RemediationRequest;

/**
 * Data of a `maintenance` job: housekeeping from a job scheduler (the retention cleanup, an audit
 * checkpoint), or a delayed `lead-reminder` of incident `key` for the quiet stretch since `since`.
 */
export type MaintenanceJobData = { task: 'prune-closed-incidents' | 'prune-checklist-runs' | 'audit-checkpoint' } | { task: 'lead-reminder'; key: string; since: number };

/** Data of an `escalation` job: one point of incident `key`'s escalation chain (see `runEscalationStep`). */
export interface EscalationJobData {
  key: string;
  point: EscalationPoint;
}

/** Data of an `inbound` job: a verified, authorized command or button click from Slack or Lark. */
export type InboundJobData = InboundEvent;

/** Names of Warden's BullMQ queues. */
export const QUEUE_NAMES = ['dispatch', 'notify', 'diagnose', 'inbound', 'remediate', 'maintenance', 'checklists', 'silences', 'escalation', 'war-rooms'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** The producer side of every queue. */
export interface Queues {
  dispatch: Queue<DispatchJobData>;
  notify: Queue<NotifyJobData>;
  diagnose: Queue<DiagnoseJobData>;
  inbound: Queue<InboundJobData>;
  remediate: Queue<RemediateJobData>;
  maintenance: Queue<MaintenanceJobData>;
  checklists: Queue<ChecklistsJobData>;
  silences: Queue<SilenceJobData>;
  escalation: Queue<EscalationJobData>;
  'war-rooms': Queue<WarRoomJobData>;
  close(): Promise<void>;
}

// Completed jobs stay an hour so their ids keep deduplicating redeliveries; failed ones a week for inspection.
const retention: DefaultJobOptions = {
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

const defaults: Record<QueueName, DefaultJobOptions> = {
  dispatch: { ...retention, attempts: 20, backoff: { type: 'exponential', delay: 500 } },
  notify: { ...retention, attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
  diagnose: { ...retention, attempts: 3, backoff: { type: 'exponential', delay: 2000 } },
  // People wait for these: retry quickly, give up within about a minute.
  inbound: { ...retention, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
  // Transient failures (a 503, a timeout) are retried for about ten minutes; each retry sends the
  // same idempotency key, so the target applies the effect once.
  remediate: { ...retention, attempts: 8, backoff: { type: 'exponential', delay: 2000 } },
  maintenance: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 }, attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
  checklists: { ...retention, attempts: 5, backoff: { type: 'exponential', delay: 5000 } },
  // A responder waits for the card to show the silence: four tries within about ten seconds, then the card says why not.
  silences: { ...retention, attempts: 4, backoff: { type: 'exponential', delay: 1000 } },
  // A step's job id names its incident, step and repeat: kept a day, so a retried or repeated
  // request for a point that already ran adds nothing.
  escalation: { removeOnComplete: { age: 86_400, count: 50_000 }, removeOnFail: { age: 7 * 24 * 3600 }, attempts: 8, backoff: { type: 'exponential', delay: 2000 } },
  // Transient platform failures are retried for about a minute; then the card says what failed.
  'war-rooms': { ...retention, attempts: 5, backoff: { type: 'exponential', delay: 2000 } },
};

/**
 * Opens the queues on a producer connection (fail fast: an unavailable Redis becomes an error the
 * HTTP layer answers with 503, never a request stuck in an offline queue).
 */
export function createQueues(connection: RedisClient, prefix: string): Queues {
  const open = <T>(name: QueueName) =>
    new Queue<T>(name, { connection, prefix, defaultJobOptions: defaults[name], skipWaitingForReady: true });
  const dispatch = open<DispatchJobData>('dispatch');
  const notify = open<NotifyJobData>('notify');
  const diagnose = open<DiagnoseJobData>('diagnose');
  const inbound = open<InboundJobData>('inbound');
  const remediate = open<RemediateJobData>('remediate');
  const maintenance = open<MaintenanceJobData>('maintenance');
  const checklists = open<ChecklistsJobData>('checklists');
  const silences = open<SilenceJobData>('silences');
  const escalation = open<EscalationJobData>('escalation');
  const warRooms = open<WarRoomJobData>('war-rooms');
  return {
    dispatch,
    notify,
    diagnose,
    inbound,
    remediate,
    maintenance,
    checklists,
    silences,
    escalation,
    'war-rooms': warRooms,
    async close() {
      await Promise.all([dispatch.close(), notify.close(), diagnose.close(), inbound.close(), remediate.close(), maintenance.close(), checklists.close(), silences.close(), escalation.close(), warRooms.close()]);
    },
  };
}

/** BullMQ job ids may not contain ":"; destinations do (`slack:C0…`). */
export function toJobIdPart(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_');
}
