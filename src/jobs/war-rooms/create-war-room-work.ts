import type { WarRoomWork } from '../../ports/war-room-work.js';
import { toJobIdPart, type Queues } from '../create-queues.js';

/**
 * The {@link WarRoomWork} part of the `Work` port on BullMQ. Opening has one job id per incident and
 * failed attempt (`war-room.<key>.a<n>`): every click and redelivery adds one job, and after a
 * failure recorded for good a new click may try again; the route's request is `war-room.<key>.auto`.
 * The jobs of one incident run one at a time (see `processWarRoomJob`), so whichever runs second
 * finds the room made.
 */
export function createWarRoomWork(queues: Queues): WarRoomWork {
  return {
    async openWarRoom(request) {
      // The route's own request has its own id: when the route asks for no room, a click still gets one.
      const scope = request.auto === true ? 'auto' : `a${request.attempt}`;
      await queues['war-rooms'].add('open', { task: 'open', request }, { jobId: `war-room.${toJobIdPart(request.key)}.${scope}` });
    },
    async pinWarRoomCard(key, destination, occasion) {
      const suffix = occasion === undefined ? '' : `.${toJobIdPart(occasion)}`;
      await queues['war-rooms'].add('pin', { task: 'pin', key, destination }, { jobId: `war-room-pin.${toJobIdPart(key)}.${toJobIdPart(destination)}${suffix}` });
    },
    async archiveWarRoom(key) {
      await queues['war-rooms'].add('archive', { task: 'archive', key }, { jobId: `war-room-archive.${toJobIdPart(key)}` });
    },
  };
}
