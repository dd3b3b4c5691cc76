import type { WarRoomSettings } from '../config/war-room-schema.js';
import type { Incident } from '../model/incident.js';
import type { ChatAdapter } from '../ports/chat-adapter.js';
import { RoomRefusedError, type ChatRoom } from '../ports/chat-room.js';
import { buildWarRoomName } from './build-war-room-name.js';
import type { WarRoomDeps } from './war-room-deps.js';
import { textRef } from '../shared/messages/text-ref.js';

/**
 * Makes incident `incident`'s war room on the platform of `adapter`: its name (a name taken by
 * another room is tried once more with a suffix), recorded on the incident as intended before the
 * platform is asked. When an earlier attempt asked for the same name — and may have died after
 * the platform made the room, before Warden recorded it — the platform adopts that room
 * (`RoomSpec.adopt`) instead of making a second one under a suffixed name.
 */
export async function createWarRoom(deps: Pick<WarRoomDeps, 'store' | 'now'>, adapter: ChatAdapter, incident: Incident, settings: WarRoomSettings): Promise<ChatRoom> {
  const intended = new Set(incident.warRoomIntent ?? []);
  const create = async (name: string, dedupeKey: string) => {
    const adopt = intended.has(name);
    if (!adopt) {
      intended.add(name);
      await deps.store.patch(incident.key, { set: { warRoomIntent: [...intended] } }, deps.now());
    }
    return adapter.createRoom!({ name, private: settings.private, dedupeKey, ...(adopt ? { adopt } : {}) });
  };
  const first = buildWarRoomName(incident);
  const dedupeKey = `war-room.${incident.key}`;
  try {
    return await create(first, dedupeKey);
  } catch (error) {
    if (!(error instanceof RoomRefusedError) || error.reason !== 'name_taken') throw error;
    // Taken by another channel (archived channels keep their names on Slack): one more try with a suffix.
    const second = buildWarRoomName(incident, 2);
    try {
      return await create(second, `${dedupeKey}.2`);
    } catch (again) {
      if (!(again instanceof RoomRefusedError) || again.reason !== 'name_taken') throw again;
      throw new RoomRefusedError(again.platform, 'name_taken', textRef('card.warRoom.reason.nameTaken', { names: `#${first}, #${second}` }));
    }
  }
}
