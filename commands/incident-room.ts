import { warRoomTexts } from '../cards/war-room-texts.js';
import { INCIDENT_KEY_PATTERN } from '../src/incidents/build-incident-key.js';
import { requestWarRoom } from '../src/war-rooms/request-war-room.js';
import { replyWithOutcome, type Subcommand } from './command.js';

/** `/incident room <key>`: the card's War room button, from chat. */
export const incidentRoomSubcommand: Subcommand = {
  name: 'room',
  summary: warRoomTexts.commandSummary,
  args: [{ name: 'key', pattern: INCIDENT_KEY_PATTERN, hint: 'an incident key such as inc-3f9a1c2b7d4e (see /incident list)' }],
  permission: 'incident.respond',
  async run(context) {
    await replyWithOutcome(context, await requestWarRoom(context.operations, context.args.key!, context.event.identity));
  },
};
