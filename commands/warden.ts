import { buildNoticeCard } from '../cards/build-notice-card.js';
import { formatUsage, type ChatCommand } from './command.js';

/** `/warden help`: what Warden can do, and what the person asking may run. */
export const wardenCommand: ChatCommand = {
  name: 'warden',
  summary: 'Help',
  subcommands: [
    {
      name: 'help',
      summary: 'the commands you can use',
      args: [],
      permission: null,
      async run(context) {
        const lines: string[] = [];
        for (const command of context.commands) {
          for (const subcommand of command.subcommands) {
            const allowed = subcommand.permission === null || context.may(subcommand.permission);
            lines.push(`${formatUsage(command, subcommand)} — ${subcommand.summary}${allowed ? '' : ` (needs ${subcommand.permission})`}`);
          }
        }
        lines.push('', 'Card buttons: Acknowledge, Isolate, Analyze, Recover, Optimize, Resolve (permission incident.respond).');
        await context.reply.private(buildNoticeCard(lines.join('\n'), { title: 'Warden commands', accent: 'info' }));
      },
    },
  ],
};
