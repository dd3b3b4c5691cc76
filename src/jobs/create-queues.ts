import { Queue, type DefaultJobOptions } from 'bullmq';
import type { Redis } from 'ioredis';

/** Data of a `notify` job: bring the card of `key` in `destination` up to date. */
export interface NotifyJobData {
  key: string;
  destination: string;
}

/** Data of a `diagnose` job: run the incident's analyze-phase probes. */
export interface DiagnoseJobData {
  key: string;
  reason: 'opened' | 'requested';
}

/** One recorded incident version whose jobs a `dispatch` job queues. */
export interface DispatchItem {
  key: string;
  version: number;
  destinations: string[];
  /** The incident just opened (or its opening is being retried): diagnosis runs. */
  opened: boolean;
}

/** Data of a `dispatch` job: queue the card and diagnosis jobs of a batch of intake outcomes. */
export interface DispatchJobData {
  items: DispatchItem[];
}

/** Names of Warden's BullMQ queues. */
export const QUEUE_NAMES = ['dispatch', 'notify', 'diagnose'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** The producer side of every queue. */
export interface Queues {
  dispatch: Queue<DispatchJobData>;
  notify: Queue<NotifyJobData>;
  diagnose: Queue<DiagnoseJobData>;
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
};

/**
 * Opens the queues on a producer connection (fail fast: an unavailable Redis becomes an error the
 * HTTP layer answers with 503, never a request stuck in an offline queue).
 */
export function createQueues(connection: Redis, prefix: string): Queues {
  const open = <T>(name: QueueName) =>
    new Queue<T>(name, { connection, prefix, defaultJobOptions: defaults[name], skipWaitingForReady: true });
  const dispatch = open<DispatchJobData>('dispatch');
  const notify = open<NotifyJobData>('notify');
  const diagnose = open<DiagnoseJobData>('diagnose');
  return {
    dispatch,
    notify,
    diagnose,
    async close() {
      await Promise.all([dispatch.close(), notify.close(), diagnose.close()]);
    },
  };
}

/** BullMQ job ids may not contain ":"; destinations do (`slack:C0…`). */
export function toJobIdPart(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_');
}
