import type { Job, Worker } from 'bullmq';

/** A job's say over its own lock, beyond the regular renewals. */
export interface LockHold {
  /** Keeps the job's lock for at least `ms` from now; false when the lock is already lost. */
  hold(ms: number): Promise<boolean>;
  /** Back to the regular lock: a dead worker's job is retried as soon as any other. */
  release(): Promise<void>;
}

/**
 * Lets a worker's jobs hold their lock longer than `lockMs` — an `exec` job, until its program's
 * deadline, so that a job whose worker died is never retried while its program may still run.
 *
 * BullMQ renews every active lock to `lockMs`, shortening a longer one; a held lock is therefore
 * extended again right after each renewal. A hold that cannot be extended means the lock is lost:
 * the job is cancelled (its processor's abort signal fires).
 */
export function createLockHolds(worker: Worker, lockMs: number): (job: Job, token: string) => LockHold {
  const held = new Map<string, { token: string; until: number }>();
  const extend = async (jobId: string, token: string, ms: number) => (await worker.extendJobLocks([jobId], [token], Math.max(lockMs, ms))).length === 0;

  worker.on('locksRenewed', ({ jobIds }) => {
    for (const jobId of jobIds) {
      const hold = held.get(jobId);
      if (!hold) continue;
      extend(jobId, hold.token, hold.until - Date.now()).then(
        (ok) => {
          if (ok || held.get(jobId) !== hold) return;
          held.delete(jobId);
          worker.cancelJob(jobId, 'its job lock was lost');
        },
        (error: unknown) => worker.emit('error', error as Error),
      );
    }
  });

  return (job, token) => {
    const jobId = job.id ?? '';
    return {
      async hold(ms) {
        held.set(jobId, { token, until: Date.now() + ms });
        const ok = await extend(jobId, token, ms);
        if (!ok) held.delete(jobId);
        return ok;
      },
      async release() {
        if (!held.delete(jobId)) return;
        await extend(jobId, token, lockMs);
      },
    };
  };
}
