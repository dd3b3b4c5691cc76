import type { Job } from 'bullmq';
import { buildChecklistCard } from '../../../cards/build-checklist-card.js';
import type { NotifyJobData } from '../create-queues.js';
import { handleChatError } from './handle-chat-error.js';
import type { NotifyDeps } from './notify-deps.js';
import { runLocked } from './run-locked.js';
import { spendBudget } from './spend-budget.js';

/**
 * Brings one checklist run's card in one destination up to date: posts it the first time, then
 * updates it in place. Jobs for versions the card already shows make no call. Checklist cards are
 * never folded into a storm digest: a routine is not an alert storm.
 */
export async function processRunCardJob(job: Job<NotifyJobData>, token: string, deps: NotifyDeps): Promise<string> {
  const { key: runId, destination } = job.data;
  return runLocked(job, token, deps.keys.checklistRunCardLock(runId, destination), deps, async () => {
    const messages = deps.keys.checklistRunMessages(runId);
    const [view, saved] = await Promise.all([deps.runs.get(runId), deps.redis.hget(messages, destination)]);
    if (!view) return 'run gone';
    const card = saved ? (JSON.parse(saved) as { id: string; rendered: number }) : undefined;
    if (card && card.rendered >= view.version) return 'up to date';

    await spendBudget(job, token, destination, deps);
    const adapter = deps.adapterFor(destination);
    const rendered = buildChecklistCard({ view, now: deps.now() });
    try {
      let id = card?.id;
      if (id) await adapter.updateCard({ destination, id }, rendered);
      else id = (await adapter.postCard(destination, rendered, { dedupeKey: `${runId}.${destination}` })).id;
      await deps.redis.hset(messages, destination, JSON.stringify({ id, rendered: view.version }));
      return card ? 'updated' : 'posted';
    } catch (error) {
      return await handleChatError(job, token, destination, error, deps);
    }
  });
}
