import type { Job } from 'bullmq';
import { buildChecklistCard } from '../../../cards/build-checklist-card.js';
import type { NotifyJobData } from '../create-queues.js';
import { handleChatError } from './handle-chat-error.js';
import type { NotifyDeps } from './notify-deps.js';
import { runLocked } from './run-locked.js';
import { sendCard, type CardMessage } from './send-card.js';
import { spendBudget } from './spend-budget.js';

/**
 * Brings one checklist run's card in one destination up to date: posts it the first time, then
 * updates it in place, or posts it anew when the platform says its message is gone (runs have no
 * timeline: the new message is stored and logged). Jobs for versions the card already shows make
 * no call. Checklist cards are never folded into a storm digest: a routine is not an alert storm.
 */
export async function processRunCardJob(job: Job<NotifyJobData>, token: string, deps: NotifyDeps): Promise<string> {
  const { key: runId, destination } = job.data;
  return runLocked(job, token, deps.keys.checklistRunCardLock(runId, destination), deps, async () => {
    const messages = deps.keys.checklistRunMessages(runId);
    const [view, saved] = await Promise.all([deps.runs.get(runId), deps.redis.hget(messages, destination)]);
    if (!view) return 'run gone';
    const stored = saved ? (JSON.parse(saved) as CardMessage & { rendered: number }) : { rendered: 0 };
    if (stored.id !== undefined && stored.rendered >= view.version) return 'up to date';

    await spendBudget(job, token, destination, deps);
    const card = buildChecklistCard({ view, now: deps.now() });
    try {
      const sent = await sendCard(
        job,
        token,
        {
          destination,
          card,
          message: stored,
          dedupeKey: `${runId}.${destination}`,
          forget: async (gone) => void (await deps.redis.hset(messages, destination, JSON.stringify({ rendered: stored.rendered, replaces: gone }))),
          about: { runId },
        },
        deps,
      );
      await deps.redis.hset(messages, destination, JSON.stringify({ id: sent.id, rendered: view.version }));
      return sent.outcome;
    } catch (error) {
      return await handleChatError(job, token, destination, error, deps);
    }
  });
}
