import { countItems, countUnresolved, type RunItem, type RunView } from '../src/model/checklist-run.js';
import type { Card, CardAccent, CardBlock } from './card.js';
import { formatUtcTime } from '../src/shared/format-utc-time.js';

/** Action ids of a checklist card: Done (manual items), Re-check (automated items), the N/A menu. Values: `{"r":<run>,"i":<item>}` (+ `"o"`: the reason's index). */
export const CHECKLIST_DONE_ACTION_ID = 'checklist.done';
export const CHECKLIST_RECHECK_ACTION_ID = 'checklist.recheck';
export const CHECKLIST_SKIP_ACTION_ID = 'checklist.skip';

const MARK: Record<RunItem['state'], string> = { open: '☐', passed: '✅', failed: '❌', skipped: '⊘' };

/** Everything a checklist run card shows. */
export interface ChecklistCardInput {
  view: RunView;
  /** Epoch ms: a run past its due time shows as overdue. */
  now: number;
}

/**
 * A checklist run's card (DESIGN.md §5): progress, each item with its state — evidence for checked
 * items, who and when for resolved ones, guidance for open ones — and, per open item, Done (manual)
 * or Re-check (automated) and an "N/A …" menu of the checklist's reasons. A complete run has no buttons.
 */
export function buildChecklistCard({ view, now }: ChecklistCardInput): Card {
  const { run, items } = view;
  const counts = countItems(items);
  const resolved = items.length - countUnresolved(items);
  const complete = view.completedAt !== undefined;
  const overdue = !complete && now > run.dueAt;
  const accent: CardAccent = complete ? (counts.failed > 0 ? 'warning' : 'success') : overdue || counts.failed > 0 ? 'warning' : 'info';
  const progress = `${resolved} of ${items.length} resolved (${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} N/A)`;
  const state = complete ? `complete ${formatUtcTime(view.completedAt!)}` : overdue ? `OVERDUE since ${formatUtcTime(run.dueAt)}` : `due ${formatUtcTime(run.dueAt)}`;

  const blocks: CardBlock[] = [
    {
      type: 'fields',
      fields: [
        { label: 'Progress', value: progress },
        { label: 'Status', value: state },
        { label: 'Started', value: `${formatUtcTime(run.startedAt)} by ${run.trigger === 'schedule' ? 'schedule' : run.requestedBy}` },
        { label: 'Run', value: run.id },
      ],
    },
  ];
  if (run.slot !== undefined && run.startedAt - run.slot > 10 * 60_000) {
    blocks.push({ type: 'context', text: `Started late: this run was scheduled for ${formatUtcTime(run.slot)}.` });
  }
  blocks.push({ type: 'divider' });
  for (const item of items) {
    blocks.push({ type: 'text', text: describeItem(item) });
    if (!complete && (item.state === 'open' || item.state === 'failed')) blocks.push(buildItemActions(run.id, run.skipReasons, item));
  }
  if (!complete) blocks.push({ type: 'context', text: `Free-text N/A: /audit skip ${run.id} <item> <reason>` });

  return {
    title: `${complete ? '✅ ' : overdue ? '⏰ ' : ''}${run.title}`,
    accent,
    summary: `${run.title}: ${resolved}/${items.length} resolved${counts.failed > 0 ? `, ${counts.failed} failed` : ''}${overdue ? ', overdue' : ''}`,
    blocks,
  };
}

function describeItem(item: RunItem): string {
  const lines = [`${MARK[item.state]} ${item.title}${item.check ? ` [auto: ${item.check}]` : ''}`];
  if (item.evidence) lines.push(`   ${item.evidence}`);
  if (item.state === 'skipped') lines.push(`   N/A: ${item.reason ?? 'no reason given'} (${item.by ?? 'unknown'}, ${formatUtcTime(item.at ?? 0)})`);
  else if (item.state === 'passed' && item.by !== 'warden') lines.push(`   done by ${item.by ?? 'unknown'}, ${formatUtcTime(item.at ?? 0)}`);
  if (item.state === 'open') {
    if (item.check && !item.evidence) lines.push('   checking…');
    lines.push(`   ${item.guidance}`);
    if (item.note) lines.push(`   (${item.note})`);
  }
  return lines.join('\n');
}

function buildItemActions(runId: string, reasons: readonly string[], item: RunItem): CardBlock {
  const value = JSON.stringify({ r: runId, i: item.id });
  return {
    type: 'actions',
    buttons: [
      item.check
        ? { actionId: CHECKLIST_RECHECK_ACTION_ID, label: 'Re-check', value }
        : { actionId: CHECKLIST_DONE_ACTION_ID, label: 'Done', value, style: 'primary' },
    ],
    select: {
      actionId: CHECKLIST_SKIP_ACTION_ID,
      placeholder: 'N/A …',
      options: reasons.map((reason, o) => ({ label: reason, value: JSON.stringify({ r: runId, i: item.id, o }) })),
    },
  };
}
