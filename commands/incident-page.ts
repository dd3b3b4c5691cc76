import { pageIncident } from '../src/escalation/page-incident.js';
import { INCIDENT_KEY_PATTERN } from '../src/incidents/build-incident-key.js';
import { replyWithOutcome, type Subcommand } from './command.js';

/** `/incident page <key> <target>`: reach a rotation's on-call person, a group or a person now. */
export const incidentPageSubcommand: Subcommand = {
  name: 'page',
  summary: 'mention and message whoever is on call in a rotation (or a group, or a person) about an incident now',
  args: [
    { name: 'key', pattern: INCIDENT_KEY_PATTERN, hint: 'an incident key such as inc-3f9a1c2b7d4e (see /incident list)' },
    { name: 'target', pattern: /^(slack:[UW][A-Z0-9]{2,32}|lark:ou_[A-Za-z0-9_-]{1,64}|[a-z0-9_-]{1,64})$/, hint: 'a rotation (see /oncall), a group or a person, e.g. primary' },
  ],
  permission: 'incident.respond',
  async run(context) {
    const { key, target } = context.args;
    const deps = { ...context.operations, config: context.config };
    await replyWithOutcome(context, await pageIncident(deps, key!, target!, context.event.identity, context.event.id));
  },
};
