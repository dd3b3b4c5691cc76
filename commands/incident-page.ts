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
    { name: 'target', pattern: /^(slack:[UW][A-Z0-9]{2,32}|lark:ou_[A-Za-z0-9_-]{1,64}|[a-z0-9_-]{1,64})$/, hint: localize('command.incident.hint.target') },
  ],
  permission: 'incident.respond',
  async run(context) {
    const { key, target } = context.args;
    const deps = { ...context.operations, config: context.config };
    await replyWithOutcome(context, await pageIncident(deps, key!, target!, context.event.identity, context.event.id));
  },
};
