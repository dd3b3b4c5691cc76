import { buildNoticeCard } from '../cards/build-notice-card.js';
import { formatUsage, type ChatCommand } from './command.js';
import { localize, localizeWith, pickText } from '../src/shared/messages/localize.js';
import { incidentButtons } from '../cards/build-incident-card.js';

/** `/warden help`: what Warden can do, and what the person asking may run. */
export const wardenCommand: ChatCommand = {
  name: 'warden',
  summary: localize('command.warden.summary'),
  subcommands: [
    {
      name: 'help',
      summary: localize('command.warden.help.summary'),
      args: [],
      permission: null,
      async run(context) {
        const text = localizeWith((t, locale) => {
          const lines: string[] = [];
          for (const command of context.commands) {
            for (const subcommand of command.subcommands) {
              const allowed = subcommand.permission === null || context.may(subcommand.permission);
              lines.push(`${formatUsage(command, subcommand)} — ${pickText(subcommand.summary, locale)}${allowed ? '' : t('command.warden.help.needs', { permission: String(subcommand.permission) })}`);
            }
          }
          const buttons = incidentButtons.map((button) => t(button.label)).join(t('command.listSeparator'));
          lines.push('', t('command.warden.help.buttons', { buttons }));
          return lines.join('\n');
        });
        await context.reply.private(buildNoticeCard(text, { title: localize('command.warden.help.title'), accent: 'info' }));
      },
    },
  ],
};
