import { buildNoticeCard } from '../cards/build-notice-card.js';
import { PERSON_MENTION_PATTERN, resolvePersonMention } from '../src/access/resolve-person-mention.js';
import { INCIDENT_KEY_PATTERN } from '../src/incidents/build-incident-key.js';
import { postIncidentUpdate } from '../src/incidents/post-incident-update.js';
import { resolveIncidentUpdates } from '../src/incidents/resolve-incident-updates.js';
import { setIncidentLead } from '../src/incidents/set-incident-lead.js';
import { replyWithOutcome, REST_ARGUMENT_MAX_LENGTH, type CommandArgument, type Subcommand } from './command.js';

const keyArgument: CommandArgument = { name: 'key', pattern: INCIDENT_KEY_PATTERN, hint: 'an incident key such as inc-3f9a1c2b7d4e (see /incident list)' };
const personArgument: CommandArgument = {
  name: 'person',
  pattern: PERSON_MENTION_PATTERN,
  hint: 'a person: a mention (@alice), an identity (slack:U0ALICE, lark:ou_0alice) or a name from access.people',
};
const updateArgument: CommandArgument = {
  name: 'text',
  pattern: /\S/,
  hint: `a status update for the channel and the stakeholders (any text up to ${REST_ARGUMENT_MAX_LENGTH} characters; line breaks are fine)`,
  rest: true,
};

/** `/incident lead <key> <person>` and `/incident update <key> <text…>`: roles and status updates. */
export const incidentRoleSubcommands: readonly Subcommand[] = [
  {
    name: 'lead',
    summary: 'make someone the incident commander (shown on the card, reminded to post updates)',
    args: [keyArgument, personArgument],
    permission: 'incident.respond',
    async run(context) {
      const { key, person } = context.args;
      const lead = resolvePersonMention(context.config.access, person!, context.event.platform);
      if (lead === undefined) {
        await context.reply.private(buildNoticeCard(`${person} is nobody Warden knows: mention the person, or name them as in access.people.`, { accent: 'warning' }));
        return;
      }
      const incident = await context.store.get(key!);
      const { remindAfterMs } = incident ? resolveIncidentUpdates(context.config, incident) : { remindAfterMs: 0 };
      await replyWithOutcome(context, await setIncidentLead(context.operations, key!, context.event.identity, lead, { remindAfterMs }));
    },
  },
  {
    name: 'update',
    summary: "post a status update to the incident's channels and stakeholders (and its timeline)",
    args: [keyArgument, updateArgument],
    permission: 'incident.respond',
    async run(context) {
      const { key, text } = context.args;
      // The delivery id makes a retried job find its update instead of posting it twice.
      const result = await postIncidentUpdate(context.operations, key!, context.event.identity, text!, {
        requestId: context.event.id,
        settingsFor: (incident) => resolveIncidentUpdates(context.config, incident),
      });
      await replyWithOutcome(context, result);
    },
  },
];
