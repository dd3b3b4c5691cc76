import { buildIncidentCard } from '../cards/build-incident-card.js';
import { buildNoticeCard } from '../cards/build-notice-card.js';
import { formatUtcTime } from '../src/shared/format-utc-time.js';
import { acknowledgeIncident } from '../src/incidents/acknowledge-incident.js';
import { addIncidentNote } from '../src/incidents/add-incident-note.js';
import { draftPostmortem } from '../src/incidents/draft-postmortem.js';
import { closeIncident } from '../src/incidents/close-incident.js';
import { incidentRoleSubcommands } from './incident-roles.js';
import { silenceSubcommands } from './incident-silence.js';
import { incidentPageSubcommand } from './incident-page.js';
import { incidentRoomSubcommand } from './incident-room.js';
import { replyWithOutcome, REST_ARGUMENT_MAX_LENGTH, type ChatCommand, type CommandArgument } from './command.js';
import { localize, localizeWith } from '../src/shared/messages/localize.js';
import { incidentKeyArgument } from './incident-key-argument.js';

const noteArgument: CommandArgument = {
  name: 'text',
  pattern: /\S/,
  hint: localize('command.incident.hint.note', { max: REST_ARGUMENT_MAX_LENGTH }),
  rest: true,
};

const LIST_LIMIT = 20;
const TIMELINE_LIMIT = 30;

/** `/incident list | show | timeline | ack | resolve | note | postmortem | lead | update`: incidents from chat. */
export const incidentCommand: ChatCommand = {
  name: 'incident',
  summary: localize('command.incident.summary'),
  subcommands: [
    {
      name: 'list',
      summary: localize('command.incident.list.summary'),
      args: [],
      permission: 'incident.view',
      async run(context) {
        const incidents = await context.store.listOpen(LIST_LIMIT + 1);
        if (incidents.length === 0) {
          await context.reply.private(buildNoticeCard(localize('command.incident.list.none'), { accent: 'success' }));
          return;
        }
        const text = localizeWith((t) => {
          const lines = incidents.slice(0, LIST_LIMIT).map((incident) => {
            const ack = incident.acknowledgedBy ? t('command.incident.list.acked', { who: incident.acknowledgedBy }) : t('command.incident.list.notAcked');
            const { key, severity, title, firing } = incident;
            return t('command.incident.list.line', { key, severity, title, phase: t(`card.phase.${incident.phase}`), firing, ack, opened: formatUtcTime(incident.openedAt) });
          });
          const more = incidents.length > LIST_LIMIT ? `\n${t('command.incident.list.more', { limit: LIST_LIMIT })}` : '';
          return `${lines.join('\n')}${more}`;
        });
        await context.reply.private(buildNoticeCard(text, { title: localize('command.incident.list.title'), accent: 'info' }));
      },
    },
    {
      name: 'show',
      summary: localize('command.incident.show.summary'),
      args: [incidentKeyArgument],
      permission: 'incident.view',
      async run(context) {
        const key = context.args.key!;
        const view = await context.store.view(key);
        await context.reply.private(view ? buildIncidentCard(view) : buildNoticeCard(localize('command.incident.unknown', { key }), { accent: 'warning' }));
      },
    },
    {
      name: 'timeline',
      summary: localize('command.incident.timeline.summary'),
      args: [incidentKeyArgument],
      permission: 'incident.view',
      async run(context) {
        const key = context.args.key!;
        if (!(await context.store.get(key))) {
          await context.reply.private(buildNoticeCard(localize('command.incident.unknown', { key }), { accent: 'warning' }));
          return;
        }
        const entries = await context.store.timeline(key, TIMELINE_LIMIT);
        const lines = entries.map((entry) => `${formatUtcTime(entry.at)} · ${entry.kind} · ${entry.text}`);
        // Timeline entries are records and stay as they were written.
        const text = lines.length > 0 ? lines.join('\n') : localize('command.incident.timeline.empty');
        await context.reply.private(buildNoticeCard(text, { title: localize('command.incident.timeline.title', { key, limit: TIMELINE_LIMIT }) }));
      },
    },
    {
      name: 'ack',
      summary: localize('command.incident.ack.summary'),
      args: [incidentKeyArgument],
      permission: 'incident.respond',
      async run(context) {
        await replyWithOutcome(context, await acknowledgeIncident(context.operations, context.args.key!, context.event.identity));
      },
    },
    {
      name: 'resolve',
      summary: localize('command.incident.resolve.summary'),
      args: [incidentKeyArgument],
      permission: 'incident.respond',
      async run(context) {
        await replyWithOutcome(context, await closeIncident(context.operations, context.args.key!, context.event.identity));
      },
    },
    {
      name: 'note',
      summary: localize('command.incident.note.summary'),
      args: [incidentKeyArgument, noteArgument],
      permission: 'incident.respond',
      async run(context) {
        const { key, text } = context.args;
        // The delivery id makes a retried job find its note instead of adding it twice.
        await replyWithOutcome(context, await addIncidentNote(context.operations, key!, context.event.identity, text!, { requestId: context.event.id }));
      },
    },
    {
      name: 'postmortem',
      summary: localize('command.incident.postmortem.summary'),
      args: [incidentKeyArgument],
      permission: 'incident.view',
      async run(context) {
        const key = context.args.key!;
        const card = await draftPostmortem(context.store, key, context.operations.now());
        if (!card) {
          await context.reply.private(buildNoticeCard(localize('command.incident.unknown', { key }), { accent: 'warning' }));
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
