import type { Job } from 'bullmq';
import { buildIncidentCard } from '../../../cards/build-incident-card.js';
import { acquireLock } from '../../redis/acquire-lock.js';
import type { NotifyJobData } from '../create-queues.js';
import { claimCard, saveCard } from './claim-card.js';
import { handleChatError } from './handle-chat-error.js';
import type { NotifyDeps } from './notify-deps.js';
import { postponeJob } from './postpone-job.js';
import { sendDigest } from './send-digest.js';
import { spendBudget } from './spend-budget.js';

/** How long one card may be held by one job: far above a chat API call's timeout. */
const CARD_LOCK_MS = 30_000;

/**
 * Brings one incident's card in one destination up to date: posts it the first time, then updates
 * it in place. Jobs for versions the card already shows make no call, which coalesces bursts.
 */
export async function processNotifyJob(job: Job<NotifyJobData>, token: string, deps: NotifyDeps): Promise<string> {
  const { key, destination } = job.data;
  const lock = await acquireLock(deps.redis, deps.keys.cardLock(key, destination), CARD_LOCK_MS);
  // Another job is posting or updating this very card: try again shortly rather than post twice.
  if (!lock) return postponeJob(job, token, 250);
  try {
    const view = await deps.store.view(key);
    if (!view) return 'incident gone';
    const claim = await claimCard(deps.redis, deps.keys, key, destination, deps.limits.storm.newIncidentsPerMinute, deps.now());
    if (claim.mode === 'digest') return await sendDigest(job, token, destination, claim.minute, deps);
    if (claim.rendered >= view.incident.version) return 'up to date';

    await spendBudget(job, token, destination, deps);
    const adapter = deps.adapterFor(destination);
    const card = buildIncidentCard({ incident: view.incident, alerts: view.alerts, diagnosis: view.diagnosis });
    try {
      let id = claim.id;
      if (id) await adapter.updateCard({ destination, id }, card);
      else id = (await adapter.postCard(destination, card, { dedupeKey: `${key}.${destination}` })).id;
      await saveCard(deps.redis, deps.keys, key, destination, id, view.incident.version);
      return claim.id ? 'updated' : 'posted';
    } catch (error) {
      return await handleChatError(job, token, destination, error, deps);
    }
  } finally {
    await lock.release().catch((error: unknown) => deps.logger.warn({ err: error, key, destination }, 'could not release card lock'));
  }
}
