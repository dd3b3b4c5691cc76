import type { Job } from 'bullmq';
import { buildDigestCard } from '../../../cards/build-digest-card.js';
import type { Incident } from '../../incidents/incident.js';
import { DIGEST_TTL_MS } from './claim-card.js';
import { handleChatError } from './handle-chat-error.js';
import type { NotifyDeps } from './notify-deps.js';
import { runLocked } from './run-locked.js';
import { spendBudget } from './spend-budget.js';

/**
 * Posts or updates the storm digest card of `destination` for one minute: one card listing every
 * incident that arrived past the storm limit. Its content changes when an incident joins or one of
 * them changes, and only then is it sent again.
 */
export async function sendDigest(job: Job, token: string, destination: string, minute: number, deps: NotifyDeps): Promise<string> {
  const digestKey = deps.keys.digest(destination, minute);
  return runLocked(job, token, deps.keys.digestLock(destination, minute), deps, async () => {
    const members = await deps.redis.lrange(deps.keys.digestIncidents(destination, minute), 0, -1);
    const incidents = (await Promise.all(members.map((key) => deps.store.get(key)))).filter((i): i is Incident => i !== null);
    const fingerprint = `${incidents.length}:${incidents.reduce((sum, i) => sum + i.version, 0)}`;
    const [id, rendered] = await deps.redis.hmget(digestKey, 'id', 'rendered');
    if (rendered === fingerprint) return 'digest up to date';

    await spendBudget(job, token, destination, deps);
    const card = buildDigestCard({ destination, incidents, windowStart: minute * 60_000, windowEnd: (minute + 1) * 60_000 });
    const adapter = deps.adapterFor(destination);
    try {
      let messageId = id;
      if (messageId) {
        await adapter.updateCard({ destination, id: messageId }, card);
      } else {
        messageId = (await adapter.postCard(destination, card, { dedupeKey: `digest.${minute}.${destination}` })).id;
        deps.metrics.stormDigests.inc({ platform: destination.split(':')[0] });
      }
      await deps.redis.multi().hset(digestKey, { id: messageId, rendered: fingerprint }).pexpire(digestKey, DIGEST_TTL_MS).exec();
      return id ? 'digest updated' : 'digest posted';
    } catch (error) {
      return await handleChatError(job, token, destination, error, deps);
    }
  });
}
