import { buildIncidentCard } from '../cards/build-incident-card.js';
import { buildNoticeCard } from '../cards/build-notice-card.js';
import { formatUtcTime } from '../src/shared/format-utc-time.js';
import { acknowledgeIncident } from '../src/incidents/acknowledge-incident.js';
import { addIncidentNote } from '../src/incidents/add-incident-note.js';
import { INCIDENT_KEY_PATTERN } from '../src/incidents/build-incident-key.js';
import { draftPostmortem } from '../src/incidents/draft-postmortem.js';
import { closeIncident } from '../src/incidents/close-incident.js';
import { incidentRoleSubcommands } from './incident-roles.js';
import { silenceSubcommands } from './incident-silence.js';
import { incidentPageSubcommand } from './incident-page.js';
import { incidentRoomSubcommand } from './incident-room.js';
import { replyWithOutcome, REST_ARGUMENT_MAX_LENGTH, type ChatCommand, type CommandArgument } from './command.js';

const keyArgument: CommandArgument = { name: 'key', pattern: INCIDENT_KEY_PATTERN, hint: 'an incident key such as inc-3f9a1c2b7d4e (see /incident list)' };
const noteArgument: CommandArgument = {
  name: 'text',
  pattern: /\S/,
  hint: `a finding or lesson learned (any text up to ${REST_ARGUMENT_MAX_LENGTH} characters; line breaks are fine)`,
  rest: true,
};

const LIST_LIMIT = 20;
const TIMELINE_LIMIT = 30;

/** `/incident list | show | timeline | ack | resolve | note | postmortem | lead | update`: incidents from chat. */
export const incidentCommand: ChatCommand = {
  name: 'incident',
  summary: 'List, inspect, acknowledge and resolve incidents; name a lead, post status updates, note lessons learned and draft the postmortem',
  subcommands: [
    {
      name: 'list',
      summary: 'the open incidents, newest first',
      args: [],
      permission: 'incident.view',
      async run(context) {
        const incidents = await context.store.listOpen(LIST_LIMIT + 1);
        if (incidents.length === 0) {
          await context.reply.private(buildNoticeCard('No open incidents.', { accent: 'success' }));
          return;
        }
        const lines = incidents.slice(0, LIST_LIMIT).map((incident) => {
          const ack = incident.acknowledgedBy ? `ack ${incident.acknowledgedBy}` : 'not acknowledged';
          return `${incident.key} · ${incident.severity} · ${incident.title} · ${incident.phase} · ${incident.firing} firing · ${ack} · opened ${formatUtcTime(incident.openedAt)}`;
        });
        const more = incidents.length > LIST_LIMIT ? `\n(more than ${LIST_LIMIT}; the oldest are not shown)` : '';
        await context.reply.private(buildNoticeCard(`${lines.join('\n')}${more}`, { title: 'Open incidents', accent: 'info' }));
      },
    },
    {
      name: 'show',
      summary: "an incident's card",
      args: [keyArgument],
      permission: 'incident.view',
      async run(context) {
        const key = context.args.key!;
        const view = await context.store.view(key);
        await context.reply.private(view ? buildIncidentCard(view) : buildNoticeCard(`There is no incident ${key}.`, { accent: 'warning' }));
      },
    },
    {
      name: 'timeline',
      summary: "an incident's history",
      args: [keyArgument],
      permission: 'incident.view',
      async run(context) {
        const key = context.args.key!;
        if (!(await context.store.get(key))) {
          await context.reply.private(buildNoticeCard(`There is no incident ${key}.`, { accent: 'warning' }));
          return;
        }
        const entries = await context.store.timeline(key, TIMELINE_LIMIT);
        const lines = entries.map((entry) => `${formatUtcTime(entry.at)} · ${entry.kind} · ${entry.text}`);
        await context.reply.private(buildNoticeCard(lines.join('\n') || '(empty)', { title: `Timeline of ${key} (latest ${TIMELINE_LIMIT})` }));
      },
    },
    {
      name: 'ack',
      summary: 'acknowledge an incident (you take it)',
      args: [keyArgument],
      permission: 'incident.respond',
      async run(context) {
        await replyWithOutcome(context, await acknowledgeIncident(context.operations, context.args.key!, context.event.identity));
      },
    },
    {
      name: 'resolve',
      summary: 'resolve and close an incident',
      args: [keyArgument],
      permission: 'incident.respond',
      async run(context) {
        await replyWithOutcome(context, await closeIncident(context.operations, context.args.key!, context.event.identity));
      },
    },
    {
      name: 'note',
      summary: 'add a finding or lesson learned to the timeline (until the incident is closed)',
      args: [keyArgument, noteArgument],
      permission: 'incident.respond',
      async run(context) {
        const { key, text } = context.args;
        // The delivery id makes a retried job find its note instead of adding it twice.
        await replyWithOutcome(context, await addIncidentNote(context.operations, key!, context.event.identity, text!, { requestId: context.event.id }));
      },
    },
    {
      name: 'postmortem',
      summary: 'post a markdown postmortem draft (timeline, actions, findings) to the channel',
      args: [keyArgument],
      permission: 'incident.view',
      async run(context) {
        const key = context.args.key!;
        const card = await draftPostmortem(context.store, key, context.operations.now());
        if (!card) {
          await context.reply.private(buildNoticeCard(`There is no incident ${key}.`, { accent: 'warning' }));
          return;
        }
        await context.reply.public(card);
      },
    },
    ...incidentRoleSubcommands,
    ...silenceSubcommands,
    incidentPageSubcommand,
    incidentRoomSubcommand,
  ],
};
