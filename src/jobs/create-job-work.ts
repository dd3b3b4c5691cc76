import { createHash } from 'node:crypto';
import type { Work } from '../ports/work.js';
import { toScheduledJobId } from './checklists/schedule-checklists.js';
import { toJobIdPart, type Queues } from './create-queues.js';
import { buildCardUpdateJobs } from './enqueue-card-updates.js';
import { toSilenceJob } from './silences/to-silence-job.js';
import { createEscalationWork } from './create-escalation-work.js';
import { createWarRoomWork } from './war-rooms/create-war-room-work.js';

/**
 * The {@link Work} port on Warden's BullMQ queues. Job ids are deterministic, so the same request
 * twice (a redelivery, a retry) adds one job; they are part of deduplication and must keep their
 * form across releases, since jobs already queued under them must keep matching.
 */
export function createJobWork(queues: Queues): Work {
  return {
    ...createEscalationWork(queues),
    ...createWarRoomWork(queues),
    async refreshCards(key, version, destinations, options = {}) {
      const card = options.subject === 'checklist-run' ? 'checklist-card' : 'card';
      await queues.notify.addBulk(buildCardUpdateJobs(key, version, destinations, { card, ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }) }));
    },
    async dispatchGroups(groupKeys, batch) {
      await queues.dispatch.add('dispatch', { groupKeys, batch });
    },
    async diagnose(key, requestId) {
      await queues.diagnose.add('diagnose', { key, reason: 'requested' }, { jobId: `diagnose.${key}.${requestId}` });
    },
    async remediate(request) {
      await queues.remediate.add('remediate', request, { jobId: `remediate.${request.requestId}` });
    },
    async checkChecklistItems(runId, request) {
      const data = { task: 'check' as const, runId, ...(request.itemIds === undefined ? {} : { itemIds: request.itemIds }), ...(request.post ? { post: true } : {}) };
      const scope = request.itemIds === undefined ? request.requestId : `${request.itemIds.join('.')}.${request.requestId}`;
      await queues.checklists.add('check', data, { jobId: `checklist-check.${runId}.${scope}` });
    },
    async handleInbound(event) {
      await queues.inbound.add('inbound', event, { jobId: `inbound.${createHash('sha256').update(event.id).digest('hex').slice(0, 40)}` });
    },
    async postNotice(id, destinations, notice) {
      if (destinations.length === 0) return;
      await queues.notify.addBulk(destinations.map((destination) => ({ name: 'notice', data: { key: id, destination, notice }, opts: { jobId: `${id}.${toJobIdPart(destination)}` } })));
    },
    async postPrivateNotice(id, identities, notice, via) {
      if (identities.length === 0) return;
      await queues.notify.addBulk(
        identities.map((identity) => ({ name: 'notice', data: { key: id, destination: via ?? identity, notice, privateTo: identity }, opts: { jobId: `${id}.${toJobIdPart(identity)}` } })),
      );
    },
    async remindLead(key, since, delayMs) {
      await queues.maintenance.add('lead-reminder', { task: 'lead-reminder', key, since }, { jobId: `lead-reminder.${key}.${since}`, delay: Math.max(0, delayMs) });
    },
    async isScheduledStartPending(checklistId, slot) {
      return (await queues.checklists.getJob(toScheduledJobId(checklistId, slot))) !== undefined;
    },
    async changeSilence(request, options = {}) {
      const job = toSilenceJob(request);
      await queues.silences.add(job.name, job.data, { ...job.opts, ...(options.delayMs === undefined ? {} : { delay: options.delayMs }) });
    },
  };
}
