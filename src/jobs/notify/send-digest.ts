import type { Job } from 'bullmq';
import { buildDigestCard } from '../../../cards/build-digest-card.js';
import { cardCaps } from '../../../cards/card-limits.js';
import { CRITICAL_DIGEST_ORDER_BELOW } from '../../../cards/digest-order.js';
import type { Incident } from '../../model/incident.js';
import { DIGEST_TTL_MS } from './mark-digest-changed.js';
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
  const ranking = deps.keys.digestRanking(destination, minute);
  // However large the storm, a pass reads the counts and the incidents the card lists, not every member.
  const [count, critical, first, [id, rendered, replaces, versions]] = await Promise.all([
    deps.redis.zcard(ranking),
    deps.redis.zcount(ranking, '-inf', `(${CRITICAL_DIGEST_ORDER_BELOW}`),
    deps.redis.zrange(ranking, '0', String(cardCaps.digestIncidents - 1)),
    deps.redis.hmget(digestKey, 'id', 'rendered', 'replaces', 'versions'),
  ]);
  const fingerprint = `${count}:${versions ?? 0}`;
  const message: CardMessage = { ...(id ? { id } : {}), ...(replaces ? { replaces: JSON.parse(replaces) as GoneMessage } : {}) };
  if (message.id !== undefined && rendered === fingerprint) return 'digest up to date';
  const incidents = (await Promise.all(first.map((key) => deps.store.get(key)))).filter((i): i is Incident => i !== null);

  // Built before the budget is taken, so that the send follows the budget's go at once.
  const card = buildDigestCard({ destination, incidents, total: { count, critical }, windowStart: minute * 60_000, windowEnd: (minute + 1) * 60_000 });
  await spendBudget(job, token, destination, deps, { first: true });
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
