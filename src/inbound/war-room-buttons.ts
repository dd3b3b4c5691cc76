import { WAR_ROOM_BUTTON_ACTION_ID } from '../../cards/build-war-room-blocks.js';
import { requestWarRoom } from '../war-rooms/request-war-room.js';
import type { ButtonHandler } from './button-handler.js';
import { parseIncidentButtonValue } from './incident-buttons.js';

/**
 * The incident card's War room button: opens the incident's war room (`incident.respond`). The
 * job's id names the incident, so a redelivered or repeated click opens one room.
 */
export const warRoomButtons: readonly ButtonHandler<string>[] = [
  {
    actionId: WAR_ROOM_BUTTON_ACTION_ID,
    permission: 'incident.respond',
    parse: parseIncidentButtonValue,
    run: (deps, event, key) => requestWarRoom(deps, key, event.identity),
  },
];
