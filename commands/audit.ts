import { buildNoticeCard } from '../cards/build-notice-card.js';
import { formatUtcTime } from '../src/shared/format-utc-time.js';
import { RUN_ID_PATTERN } from '../src/checklists/build-run-id.js';
import { changeRunItem } from '../src/checklists/change-run-item.js';
import type { ChecklistDeps } from '../src/checklists/checklist-deps.js';
import { countItems, countUnresolved, type RunView } from '../src/model/checklist-run.js';
import { CHECKLIST_ID_PATTERN, ITEM_ID_PATTERN, REQUIRED_CHECKLISTS } from '../src/checklists/checklist-schema.js';
import { startChecklistRun } from '../src/checklists/start-checklist-run.js';
import { replyWithOutcome, type ChatCommand, type CommandArgument, type CommandContext, type Subcommand } from './command.js';

const checklistArgument: CommandArgument = { name: 'checklist', pattern: CHECKLIST_ID_PATTERN, hint: 'a checklist id such as weekly (see /audit status)' };
const runArgument: CommandArgument = { name: 'run', pattern: RUN_ID_PATTERN, hint: 'a run id such as weekly-m3k9x2a1-4f2c (on the run\'s card)' };
const itemArgument: CommandArgument = { name: 'item', pattern: ITEM_ID_PATTERN, hint: 'an item id such as log-size (see /audit history)' };
const reasonArgument: CommandArgument = { name: 'reason', pattern: /\S/, hint: 'why the item does not apply (up to 200 characters)', rest: true, maxLength: 200 };

const HISTORY_LIMIT = 10;

/** The checklist deps, or a private reply saying they are missing. */
async function needChecklists(context: CommandContext): Promise<ChecklistDeps | undefined> {
  if (context.operations.checklists) return context.operations.checklists;
  await context.reply.private(buildNoticeCard('Checklists are not available in this Warden process.', { accent: 'warning' }));
  return undefined;
}

/** The private answer to a checklist id that names no checklist: the ids there are. */
function unknownChecklistCard(deps: ChecklistDeps, checklistId: string) {
  return buildNoticeCard(`There is no checklist "${checklistId}". Checklists: ${[...deps.checklists.keys()].join(', ')}.`, { accent: 'warning' });
}

/** A one-line summary of a run: progress, or its result with the pass rate. */
export function describeRun(view: RunView, now: number): string {
  const counts = countItems(view.items);
  if (view.completedAt === undefined) {
    const overdue = now > view.run.dueAt ? ' — OVERDUE' : '';
    const failing = counts.failed > 0 ? ` (${counts.failed} failing)` : '';
    return `${view.run.id}: open, ${countUnresolved(view.items)} of ${view.items.length} items left${failing}, due ${formatUtcTime(view.run.dueAt)}${overdue}`;
  }
  // The pass rate counts N/A items as not passed: a waived control is not a passed one.
  const rate = `${Math.round((counts.passed / Math.max(1, view.items.length)) * 100)} % passed`;
  return `${view.run.id}: completed ${formatUtcTime(view.completedAt)} — ${rate} (${counts.passed} passed, ${counts.skipped} N/A)`;
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
    await context.reply.private(buildNoticeCard('Start a checklist in a channel: its card is posted where you ask.', { accent: 'warning' }));
    return;
  }
  const started = await startChecklistRun(deps, { checklistId, trigger: 'command', requestedBy: context.event.identity, destinations: [destination] });
  if (started.outcome === 'started') {
    await context.reply.private(buildNoticeCard(`Started ${checklist.title} (run ${started.runId}); its card follows in this channel.`, { accent: 'success' }));
    return;
  }
  const open = await deps.runs.get(started.runId);
  const where = open ? ` Its card is in ${open.run.destinations.join(', ')}.` : '';
  await context.reply.private(
    buildNoticeCard(`A ${checklistId} run is already open — ${open ? describeRun(open, deps.now()) : started.runId}.${where} Finish it (or mark items N/A) before starting another.`, {
      accent: 'neutral',
    }),
  );
}

const startSubcommands: Subcommand[] = REQUIRED_CHECKLISTS.map((checklistId) => ({
  name: checklistId,
  summary: `start the ${checklistId} checklist now (its card is posted here)`,
  args: [],
  permission: 'checklist.run',
  run: (context) => startRun(context, checklistId),
}));

/** `/audit daily | weekly | monthly | predeploy | run | status | history | skip`: the security checklists from chat. */
export const auditCommand: ChatCommand = {
  name: 'audit',
  summary: 'Run the security checklists, see compliance and history, mark items N/A',
  subcommands: [
    ...startSubcommands,
    {
      name: 'run',
      summary: 'start any checklist by id',
      args: [checklistArgument],
      permission: 'checklist.run',
      run: (context) => startRun(context, context.args.checklist!),
    },
    {
      name: 'status',
      summary: 'compliance: the last completed run of each checklist, its pass rate, open and overdue runs',
      args: [],
      permission: 'checklist.tick',
      async run(context) {
        const deps = await needChecklists(context);
        if (!deps) return;
        const now = deps.now();
        const sections = await Promise.all(
          [...deps.checklists.values()].map(async (checklist) => {
            const runs = await deps.runs.listRuns(checklist.id, HISTORY_LIMIT);
            const schedule = deps.config.checklists.schedules[checklist.id];
            const completed = runs.find((view) => view.completedAt !== undefined);
            const open = runs.filter((view) => view.completedAt === undefined);
            const lines = [
              `${checklist.id} — ${checklist.title} — ${schedule ? `scheduled "${schedule.cron}" (${deps.config.checklists.timezone})` : 'on demand'}`,
              `  last completed: ${completed ? describeRun(completed, now) : 'never'}`,
              ...open.map((view) => `  ${describeRun(view, now)}`),
            ];
            return lines.join('\n');
          }),
        );
        await context.reply.private(buildNoticeCard(sections.join('\n'), { title: 'Checklist compliance', accent: 'info' }));
      },
    },
    {
      name: 'history',
      summary: `the last ${HISTORY_LIMIT} runs of a checklist`,
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
        const text = runs.length === 0 ? `No ${checklistId} run yet; start one with /audit run ${checklistId}.` : runs.map((view) => describeRun(view, now)).join('\n');
        await context.reply.private(buildNoticeCard(text, { title: `${checklistId} history`, accent: 'info' }));
      },
    },
    {
      name: 'skip',
      summary: 'mark an item of a run N/A, saying why',
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
