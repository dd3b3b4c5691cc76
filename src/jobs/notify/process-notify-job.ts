import type { Job } from 'bullmq';
import { buildIncidentCard } from '../../../cards/build-incident-card.js';
import { buildApprovalViews } from '../../approvals/build-approval-views.js';
import { buildPlaybookCardInput } from '../../playbooks/build-playbook-card-input.js';
import { readPlaybookStepStates } from '../../playbooks/playbook-step-state.js';
import type { NotifyJobData } from '../create-queues.js';
import { claimCard, forgetCard, saveCard } from './claim-card.js';
import { handleChatError } from './handle-chat-error.js';
import { markDigestChanged } from './mark-digest-changed.js';
import type { NotifyDeps } from './notify-deps.js';
import { runLocked } from './run-locked.js';
import { describeReplacement, sendCard } from './send-card.js';
import { spendBudget } from './spend-budget.js';

/**
 * Brings one incident's card in one destination up to date: posts it the first time, then updates
 * it in place. Jobs for versions the card already shows make no call, which coalesces bursts; the
 * alerts, diagnosis and playbook step states are only read when there is something to render.
 * When the platform says the card's message is gone, the card is posted anew and the timeline says
 * so; in the incident's war room the new message is pinned again. An incident on a storm's digest
 * only marks the digest changed: one digest job sends it.
 */
export async function processNotifyJob(job: Job<NotifyJobData>, token: string, deps: NotifyDeps): Promise<string> {
  const { key, destination } = job.data;
  return runLocked(job, token, deps.keys.cardLock(key, destination), deps, async () => {
    const incident = await deps.store.get(key);
    if (!incident) return 'incident gone';
    const claim = await claimCard(deps.redis, deps.keys, key, destination, deps.limits.storm.newIncidentsPerMinute, deps.now());
    if (claim.mode === 'digest') return markDigestChanged(job, incident, destination, claim.minute, deps);
    if (claim.id !== undefined && claim.rendered >= incident.version) return 'up to date';

    const [view, steps, requests] = await Promise.all([
      deps.store.view(key),
      readPlaybookStepStates(deps.redis, deps.keys, key),
      deps.approvals.listForIncident(key),
    ]);
    if (!view) return 'incident gone';
    const playbook = buildPlaybookCardInput(view.incident, deps.playbooks, deps.actions, steps);
    const pending = requests.filter((request) => request.state === 'pending' && request.expiresAt > deps.now());
    const approvals = buildApprovalViews(pending, view, deps.actions, deps.secrets ?? []);
    const card = buildIncidentCard({ incident: view.incident, alerts: view.alerts, diagnosis: view.diagnosis, ...playbook, approvals, linkHosts: deps.linkHosts });
    // Built before the budget is taken, so that the send follows the budget's go at once.
    await spendBudget(job, token, destination, deps);
    try {
      const sent = await sendCard(
        job,
        token,
        {
          destination,
          card,
          message: claim,
          dedupeKey: `${key}.${destination}`,
          forget: (gone) => forgetCard(deps.redis, deps.keys, key, destination, claim.rendered, gone),
          about: { incident: key },
        },
        deps,
      );
      await saveCard(deps.redis, deps.keys, key, destination, sent.id, view.incident.version);
      if (sent.outcome === 'reposted') {
        const { replaced } = sent;
        const text = `Card re-posted in ${destination} (${describeReplacement(replaced.reason)})`;
        await deps.store.appendTimeline(key, { at: deps.now(), kind: 'card', text, data: { destination, messageId: sent.id, replaced: replaced.id, reason: replaced.reason } });
        // The war room's card is pinned there: its new message is pinned in turn, by the war room's own job.
        const room = view.incident.warRoom;
        if (room?.destination === destination && room.archivedAt === undefined) await deps.work?.pinWarRoomCard(key, destination, `m${sent.id}`);
      }
      return sent.outcome;
    } catch (error) {
      return await handleChatError(job, token, destination, error, deps);
    }
  });
}
