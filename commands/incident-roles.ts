import { buildNoticeCard } from '../cards/build-notice-card.js';
import { PERSON_MENTION_PATTERN, resolvePersonMention } from '../src/access/resolve-person-mention.js';
import { postIncidentUpdate } from '../src/incidents/post-incident-update.js';
import { resolveIncidentUpdates } from '../src/incidents/resolve-incident-updates.js';
import { setIncidentLead } from '../src/incidents/set-incident-lead.js';
import { replyWithOutcome, REST_ARGUMENT_MAX_LENGTH, type CommandArgument, type Subcommand } from './command.js';
import { localize } from '../src/shared/messages/localize.js';
import { incidentKeyArgument } from './incident-key-argument.js';

const personArgument: CommandArgument = {
  name: 'person',
  pattern: PERSON_MENTION_PATTERN,
  hint: localize('command.incident.hint.person'),
};
const updateArgument: CommandArgument = {
  name: 'text',
  pattern: /\S/,
  hint: localize('command.incident.hint.update', { max: REST_ARGUMENT_MAX_LENGTH }),
  rest: true,
};

/** `/incident lead <key> <person>` and `/incident update <key> <text…>`: roles and status updates. */
export const incidentRoleSubcommands: readonly Subcommand[] = [
  {
    name: 'lead',
    summary: localize('command.incident.lead.summary'),
    args: [incidentKeyArgument, personArgument],
    permission: 'incident.respond',
    async run(context) {
      const { key, person } = context.args;
      const lead = resolvePersonMention(context.config.access, person!, context.event.platform);
      if (lead === undefined) {
        await context.reply.private(buildNoticeCard(localize('command.incident.lead.unknownPerson', { person: person! }), { accent: 'warning' }));
        return;
      }
      const incident = await context.store.get(key!);
      const { remindAfterMs } = incident ? resolveIncidentUpdates(context.config, incident) : { remindAfterMs: 0 };
      await replyWithOutcome(context, await setIncidentLead(context.operations, key!, context.event.identity, lead, { remindAfterMs }));
    },
  },
  {
    name: 'update',
    summary: localize('command.incident.update.summary'),
    args: [incidentKeyArgument, updateArgument],
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
