import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { NotifyJobData } from '../create-queues.js';
import type { NotifyDeps } from './notify-deps.js';
import { runLocked } from './run-locked.js';
import { sendDigest } from './send-digest.js';
import { dropDigestCarrier, settleDigestCarrier } from './settle-digest-carrier.js';
import { takeDigestCarrier } from './take-digest-carrier.js';

/**
 * The one job that sends a storm digest (queued by `markDigestChanged`). Each pass reads the
 * digest's generation, sends the digest as it is then, and finishes only if the generation has
 * not moved since; otherwise it goes again, and the destination's budget postpones it. A change
 * that lands after the last pass finds no carrier and queues a new job, so every change is
 * followed by a send, and a storm costs one waiting job per digest, not one per incident.
 */
export async function processDigestJob(job: Job<NotifyJobData>, token: string, deps: NotifyDeps): Promise<string> {
  const { destination, minute } = job.data;
  if (minute === undefined) throw new UnrecoverableError('digest job without a minute');
  const keys = { carrier: deps.keys.digestCarrier(destination, minute), generation: deps.keys.digestGeneration(destination, minute) };
  const jobId = job.id ?? '';
  try {
    return await runLocked(job, token, deps.keys.digestLock(destination, minute), deps, async () => {
      for (;;) {
        const generation = await takeDigestCarrier(deps.redis, keys, jobId);
        if (generation === null) return 'superseded: another job carries the digest';
        const sent = await sendDigest(job, token, destination, minute, deps);
        const settled = await settleDigestCarrier(deps.redis, keys, jobId, generation);
        if (settled === 'superseded') return `${sent}; superseded: another job carries the digest`;
        if (settled === 'done') return sent;
      }
    });
  } catch (error) {
    const final = error instanceof UnrecoverableError || (!(error instanceof DelayedError) && job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
    if (final) await dropDigestCarrier(deps.redis, keys, jobId);
    throw error;
  }
}
