import { CHAT_IDENTITY_OR_NAME } from '../src/config/identity-schema.js';
import { pageIncident } from '../src/escalation/page-incident.js';
import { replyWithOutcome, type Subcommand } from './command.js';
import { localize } from '../src/shared/messages/localize.js';
import { incidentKeyArgument } from './incident-key-argument.js';

/** `/incident page <key> <target>`: reach a rotation's on-call person, a group or a person now. */
export const incidentPageSubcommand: Subcommand = {
  name: 'page',
  summary: localize('command.incident.page.summary'),
  args: [
    incidentKeyArgument,
    { name: 'target', pattern: CHAT_IDENTITY_OR_NAME, hint: localize('command.incident.hint.target') },
  ],
  permission: 'incident.respond',
  async run(context) {
    const { key, target } = context.args;
    const deps = { ...context.operations, config: context.config };
    await replyWithOutcome(context, await pageIncident(deps, key!, target!, context.event.identity, context.event.id));
  },
};
