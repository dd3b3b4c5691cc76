import type { WarRoomRequest } from '../model/war-room.js';

/**
 * The queued work of war rooms, part of the `Work` port. Job ids come from the incident: asked for
 * twice (a redelivered click, a second click, the route and a click), a room is opened once.
 */
export interface WarRoomWork {
  /** Open incident `request.key`'s war room, invite its people, post and pin its card there. */
  openWarRoom(request: WarRoomRequest): Promise<void>;
  /**
   * Pin the card of incident `key` in its war room `destination`, once the card is posted there.
   * `occasion` tells apart a later pin of the same room (a retry after a failure, a card posted
   * anew): each occasion is queued once.
   */
  pinWarRoomCard(key: string, destination: string, occasion?: string): Promise<void>;
  /** Archive incident `key`'s war room (it was closed), once the room's card shows it closed. */
  archiveWarRoom(key: string): Promise<void>;
}
