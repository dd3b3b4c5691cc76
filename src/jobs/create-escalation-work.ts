import { formatEscalationPoint, type EscalationPoint, type EscalationWork } from '../ports/escalation-work.js';
import { toJobIdPart, type Queues } from './create-queues.js';

/**
 * The {@link EscalationWork} part of the `Work` port on BullMQ. A point of a chain is a delayed job
 * whose id names the incident, the step and the repeat: it survives restarts (BullMQ keeps delayed
 * jobs in Redis), and however many replicas ask for it, it is added — and so runs — once.
 */
export function createEscalationWork(queues: Queues): EscalationWork {
  return {
    async scheduleEscalation(key, point, delayMs) {
      await queues.escalation.add('escalation', { key, point }, { jobId: toEscalationJobId(key, point), delay: Math.max(0, Math.round(delayMs)) });
    },
    async buzzCard(id, key, destinations, identities) {
      const lark = identities.filter((identity) => identity.startsWith('lark:'));
      const chats = destinations.filter((destination) => destination.startsWith('lark:'));
      if (lark.length === 0 || chats.length === 0) return;
      await queues.notify.addBulk(chats.map((destination) => ({ name: 'buzz', data: { key, destination, buzz: lark }, opts: { jobId: `${id}.buzz.${toJobIdPart(destination)}` } })));
    },
  };
}

/** The job id of point `point` of incident `key`'s escalation chain. */
export function toEscalationJobId(key: string, point: EscalationPoint): string {
  return `escalation.${toJobIdPart(key)}${formatEscalationPoint(point)}`;
}
