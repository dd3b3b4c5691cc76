import { buildNoticeCard } from '../cards/build-notice-card.js';
import { describeOnCall } from '../src/oncall/describe-on-call.js';
import type { ChatCommand } from './command.js';
import { localize, localizeWith } from '../src/shared/messages/localize.js';

/** `/oncall`: who is on call now and next in each rotation (oncall.rotations). */
export const oncallCommand: ChatCommand = {
  name: 'oncall',
  summary: localize('command.oncall.summary'),
  subcommands: [
    {
      name: '',
      summary: localize('command.oncall.show.summary'),
      args: [],
      permission: 'incident.view',
      async run(context) {
        const rotations = Object.entries(context.config.oncall.rotations);
        if (rotations.length === 0) {
          await context.reply.private(buildNoticeCard(localize('command.oncall.none'), { title: localize('command.oncall.title'), accent: 'neutral' }));
          return;
        }
        const calendars = await context.operations.calendars?.read();
        const now = context.operations.now();
        const text = localizeWith((t) =>
          rotations.flatMap(([name, rotation]) => describeOnCall(name, rotation, now, calendars?.shifts.get(name), calendars?.problems.get(name), t)).join('\n'),
        );
        await context.reply.private(buildNoticeCard(text, { title: localize('command.oncall.title'), accent: 'info' }));
      },
    },
  ],
};
