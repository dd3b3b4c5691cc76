import type { WarRoomWork } from '../../ports/war-room-work.js';
import { toJobIdPart, type Queues } from '../create-queues.js';

/**
 * The {@link WarRoomWork} part of the `Work` port on BullMQ. Opening has one job id per incident and
 * failed attempt (`war-room.<key>.a<n>`): every click, redelivery and the route's own request for
 * a room add one job, and after a failure recorded for good a new click may try again.
 */
export function createWarRoomWork(queues: Queues): WarRoomWork {
  return {
    async openWarRoom(request) {
      await queues['war-rooms'].add('open', { task: 'open', request }, { jobId: `war-room.${toJobIdPart(request.key)}.a${request.attempt}` });
    },
    async pinWarRoomCard(key, destination) {
      await queues['war-rooms'].add('pin', { task: 'pin', key, destination }, { jobId: `war-room-pin.${toJobIdPart(key)}.${toJobIdPart(destination)}` });
    },
    async archiveWarRoom(key) {
      await queues['war-rooms'].add('archive', { task: 'archive', key }, { jobId: `war-room-archive.${toJobIdPart(key)}` });
    },
  };
}
