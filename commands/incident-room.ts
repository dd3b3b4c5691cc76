import { localize } from '../src/shared/messages/localize.js';
import { requestWarRoom } from '../src/war-rooms/request-war-room.js';
import { replyWithOutcome, type Subcommand } from './command.js';
import { incidentKeyArgument } from './incident-key-argument.js';

/** `/incident room <key>`: the card's War room button, from chat. */
export const incidentRoomSubcommand: Subcommand = {
  name: 'room',
  summary: localize('command.incident.room.summary'),
  args: [incidentKeyArgument],
  permission: 'incident.respond',
  async run(context) {
    await replyWithOutcome(context, await requestWarRoom(context.operations, context.args.key!, context.event.identity));
  },
};
