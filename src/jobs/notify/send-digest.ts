import type { Job } from 'bullmq';
import { buildDigestCard } from '../../../cards/build-digest-card.js';
import type { Incident } from '../../model/incident.js';
import { DIGEST_TTL_MS } from './claim-card.js';
import { handleChatError } from './handle-chat-error.js';
import type { NotifyDeps } from './notify-deps.js';
import { sendCard, type CardMessage, type GoneMessage } from './send-card.js';
import { spendBudget } from './spend-budget.js';

/**
 * Posts or updates the storm digest card of `destination` for one minute: one card listing every
 * incident that arrived past the storm limit, as they are now. Its content changes when an incident
 * joins or one of them changes, and only then is it sent again; when the platform says its message
 * is gone, it is posted anew (and logged: a digest has no timeline). The caller holds the digest's
 * lock (see `processDigestJob`).
 */
export async function sendDigest(job: Job, token: string, destination: string, minute: number, deps: NotifyDeps): Promise<string> {
  const digestKey = deps.keys.digest(destination, minute);
  const members = await deps.redis.lrange(deps.keys.digestIncidents(destination, minute), 0, -1);
  const incidents = (await Promise.all(members.map((key) => deps.store.get(key)))).filter((i): i is Incident => i !== null);
  const fingerprint = `${incidents.length}:${incidents.reduce((sum, i) => sum + i.version, 0)}`;
  const [id, rendered, replaces] = await deps.redis.hmget(digestKey, 'id', 'rendered', 'replaces');
  const message: CardMessage = { ...(id ? { id } : {}), ...(replaces ? { replaces: JSON.parse(replaces) as GoneMessage } : {}) };
  if (message.id !== undefined && rendered === fingerprint) return 'digest up to date';

  // Built before the budget is taken, so that the send follows the budget's go at once.
  const card = buildDigestCard({ destination, incidents, windowStart: minute * 60_000, windowEnd: (minute + 1) * 60_000 });
  await spendBudget(job, token, destination, deps);
  try {
    const sent = await sendCard(
      job,
      token,
      {
        destination,
        card,
        message,
        dedupeKey: `digest.${minute}.${destination}`,
        forget: async (gone) => void (await deps.redis.multi().hdel(digestKey, 'id').hset(digestKey, 'replaces', JSON.stringify(gone)).exec()),
        about: { minute },
      },
      deps,
    );
    // A re-posted digest is the same storm's digest again, not another storm.
    if (sent.outcome === 'posted') deps.metrics.stormDigests.inc({ platform: destination.split(':')[0] });
    await deps.redis.multi().hset(digestKey, { id: sent.id, rendered: fingerprint }).hdel(digestKey, 'replaces').pexpire(digestKey, DIGEST_TTL_MS).exec();
    return `digest ${sent.outcome}`;
  } catch (error) {
    return await handleChatError(job, token, destination, error, deps);
  }
}
