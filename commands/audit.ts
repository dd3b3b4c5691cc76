import { buildNoticeCard } from '../cards/build-notice-card.js';
import { formatUtcTime } from '../src/shared/format-utc-time.js';
import { RUN_ID_PATTERN } from '../src/checklists/build-run-id.js';
import { changeRunItem } from '../src/checklists/change-run-item.js';
import type { ChecklistDeps } from '../src/checklists/checklist-deps.js';
import { countItems, countUnresolved, type RunView } from '../src/model/checklist-run.js';
import { CHECKLIST_ID_PATTERN, ITEM_ID_PATTERN, REQUIRED_CHECKLISTS } from '../src/checklists/checklist-schema.js';
import { startChecklistRun } from '../src/checklists/start-checklist-run.js';
import { replyWithOutcome, type ChatCommand, type CommandArgument, type CommandContext, type Subcommand } from './command.js';
import { localize, localizeWith } from '../src/shared/messages/localize.js';
import { translator, type Translator } from '../src/shared/messages/translator.js';

const checklistArgument: CommandArgument = { name: 'checklist', pattern: CHECKLIST_ID_PATTERN, hint: localize('command.audit.hint.checklist') };
const runArgument: CommandArgument = { name: 'run', pattern: RUN_ID_PATTERN, hint: localize('command.audit.hint.run') };
const itemArgument: CommandArgument = { name: 'item', pattern: ITEM_ID_PATTERN, hint: localize('command.audit.hint.item') };
const reasonArgument: CommandArgument = { name: 'reason', pattern: /\S/, hint: localize('command.audit.hint.reason'), rest: true, maxLength: 200 };

const HISTORY_LIMIT = 10;

/** The checklist deps, or a private reply saying they are missing. */
async function needChecklists(context: CommandContext): Promise<ChecklistDeps | undefined> {
  if (context.operations.checklists) return context.operations.checklists;
  await context.reply.private(buildNoticeCard(localize('command.audit.unavailable'), { accent: 'warning' }));
  return undefined;
}

/** The private answer to a checklist id that names no checklist: the ids there are. */
function unknownChecklistCard(deps: ChecklistDeps, checklistId: string) {
  return buildNoticeCard(localize('command.audit.unknownChecklist', { checklist: checklistId, checklists: [...deps.checklists.keys()].join(', ') }), { accent: 'warning' });
}

/** A one-line summary of a run: progress, or its result with the pass rate (in English unless `t` says otherwise). */
export function describeRun(view: RunView, now: number, t: Translator = translator('en')): string {
  const counts = countItems(view.items);
  if (view.completedAt === undefined) {
    const overdue = now > view.run.dueAt ? t('command.audit.run.overdue') : '';
    const failing = counts.failed > 0 ? t('command.audit.run.failing', { failed: counts.failed }) : '';
    return t('command.audit.run.open', { run: view.run.id, left: countUnresolved(view.items), total: view.items.length, failing, due: formatUtcTime(view.run.dueAt), overdue });
  }
  // The pass rate counts N/A items as not passed: a waived control is not a passed one.
  const rate = Math.round((counts.passed / Math.max(1, view.items.length)) * 100);
  return t('command.audit.run.completed', { run: view.run.id, at: formatUtcTime(view.completedAt), rate, passed: counts.passed, skipped: counts.skipped });
}

async function startRun(context: CommandContext, checklistId: string): Promise<void> {
  const deps = await needChecklists(context);
  if (!deps) return;
  const checklist = deps.checklists.get(checklistId);
  if (!checklist) {
    await context.reply.private(unknownChecklistCard(deps, checklistId));
    return;
  }
  const destination = context.event.destination;
  if (destination === undefined) {
    await context.reply.private(buildNoticeCard(localize('command.audit.needsChannel'), { accent: 'warning' }));
    return;
  }
  const started = await startChecklistRun(deps, { checklistId, trigger: 'command', requestedBy: context.event.identity, destinations: [destination] });
  if (started.outcome === 'started') {
    await context.reply.private(buildNoticeCard(localize('command.audit.started', { title: checklist.title, run: started.runId }), { accent: 'success' }));
    return;
  }
  const open = await deps.runs.get(started.runId);
  const text = localizeWith((t) => {
    const where = open ? t('command.audit.cardIn', { destinations: open.run.destinations.join(', ') }) : '';
    return t('command.audit.alreadyOpen', { checklist: checklistId, run: open ? describeRun(open, deps.now(), t) : started.runId, where });
  });
  await context.reply.private(buildNoticeCard(text, { accent: 'neutral' }));
}

const startSubcommands: Subcommand[] = REQUIRED_CHECKLISTS.map((checklistId) => ({
  name: checklistId,
  summary: localize('command.audit.start.summary', { checklist: checklistId }),
  args: [],
  permission: 'checklist.run',
  run: (context) => startRun(context, checklistId),
}));

/** `/audit daily | weekly | monthly | predeploy | run | status | history | skip`: the security checklists from chat. */
export const auditCommand: ChatCommand = {
  name: 'audit',
  summary: localize('command.audit.summary'),
  subcommands: [
    ...startSubcommands,
    {
      name: 'run',
      summary: localize('command.audit.runById.summary'),
      args: [checklistArgument],
      permission: 'checklist.run',
      run: (context) => startRun(context, context.args.checklist!),
    },
    {
      name: 'status',
      summary: localize('command.audit.status.summary'),
      args: [],
      permission: 'checklist.tick',
      async run(context) {
        const deps = await needChecklists(context);
        if (!deps) return;
        const now = deps.now();
        const listed = await Promise.all([...deps.checklists.values()].map(async (checklist) => ({ checklist, runs: await deps.runs.listRuns(checklist.id, HISTORY_LIMIT) })));
        const text = localizeWith((t) =>
          listed
            .map(({ checklist, runs }) => {
              const schedule = deps.config.checklists.schedules[checklist.id];
              const completed = runs.find((view) => view.completedAt !== undefined);
              const open = runs.filter((view) => view.completedAt === undefined);
              const when = schedule ? t('command.audit.status.scheduled', { cron: schedule.cron, timezone: deps.config.checklists.timezone }) : t('command.audit.status.onDemand');
              const lines = [
                `${checklist.id} — ${checklist.title} — ${when}`,
                t('command.audit.status.lastCompleted', { run: completed ? describeRun(completed, now, t) : t('command.audit.status.never') }),
                ...open.map((view) => `  ${describeRun(view, now, t)}`),
              ];
              return lines.join('\n');
            })
            .join('\n'),
        );
        await context.reply.private(buildNoticeCard(text, { title: localize('command.audit.status.title'), accent: 'info' }));
      },
    },
    {
      name: 'history',
      summary: localize('command.audit.history.summary', { limit: HISTORY_LIMIT }),
      args: [checklistArgument],
      permission: 'checklist.tick',
      async run(context) {
        const deps = await needChecklists(context);
        if (!deps) return;
        const checklistId = context.args.checklist!;
        if (!deps.checklists.has(checklistId)) {
          await context.reply.private(unknownChecklistCard(deps, checklistId));
          return;
        }
        const runs = await deps.runs.listRuns(checklistId, HISTORY_LIMIT);
        const now = deps.now();
        const text = localizeWith((t) =>
          runs.length === 0 ? t('command.audit.history.none', { checklist: checklistId }) : runs.map((view) => describeRun(view, now, t)).join('\n'),
        );
        await context.reply.private(buildNoticeCard(text, { title: localize('command.audit.history.title', { checklist: checklistId }), accent: 'info' }));
      },
    },
    {
      name: 'skip',
      summary: localize('command.audit.skip.summary'),
      args: [runArgument, itemArgument, reasonArgument],
      permission: 'checklist.tick',
      async run(context) {
        const deps = await needChecklists(context);
        if (!deps) return;
        const result = await changeRunItem(deps, context.args.run!, context.args.item!, context.event.identity, { type: 'skip', reason: context.args.reason! });
        await replyWithOutcome(context, result);
      },
    },
  ],
};
