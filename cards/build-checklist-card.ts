import { countItems, countUnresolved, type RunItem, type RunView } from '../src/model/checklist-run.js';
import type { Card, CardAccent, CardBlock } from './card.js';
import { formatUtcTime } from '../src/shared/format-utc-time.js';
import { localizeCard } from './localize-card.js';
import type { Translator } from '../src/shared/messages/translator.js';

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
export function buildChecklistCard(input: ChecklistCardInput): Card {
  return localizeCard((t) => buildChecklistCardIn(input, t));
}

function buildChecklistCardIn({ view, now }: ChecklistCardInput, t: Translator): Card {
  const { run, items } = view;
  const counts = countItems(items);
  const resolved = items.length - countUnresolved(items);
  const complete = view.completedAt !== undefined;
  const overdue = !complete && now > run.dueAt;
  const accent: CardAccent = complete ? (counts.failed > 0 ? 'warning' : 'success') : overdue || counts.failed > 0 ? 'warning' : 'info';
  const progress = t('card.checklist.progress', { resolved, total: items.length, passed: counts.passed, failed: counts.failed, skipped: counts.skipped });
  const state = complete
    ? t('card.checklist.complete', { at: formatUtcTime(view.completedAt!) })
    : overdue ? t('card.checklist.overdue', { at: formatUtcTime(run.dueAt) }) : t('card.checklist.due', { at: formatUtcTime(run.dueAt) });

  const blocks: CardBlock[] = [
    {
      type: 'fields',
      fields: [
        { label: t('card.checklist.field.progress'), value: progress },
        { label: t('card.checklist.field.status'), value: state },
        {
          label: t('card.checklist.field.started'),
          value: t('card.checklist.startedBy', { at: formatUtcTime(run.startedAt), who: run.trigger === 'schedule' ? t('card.checklist.bySchedule') : run.requestedBy }),
        },
        { label: t('card.checklist.field.run'), value: run.id },
      ],
    },
  ];
  if (run.slot !== undefined && run.startedAt - run.slot > 10 * 60_000) {
    blocks.push({ type: 'context', text: t('card.checklist.startedLate', { at: formatUtcTime(run.slot) }) });
  }
  blocks.push({ type: 'divider' });
  for (const item of items) {
    blocks.push({ type: 'text', text: describeItem(item, t) });
    if (!complete && (item.state === 'open' || item.state === 'failed')) blocks.push(buildItemActions(run.id, run.skipReasons, item, t));
  }
  if (!complete) blocks.push({ type: 'context', text: t('card.checklist.freeTextSkip', { run: run.id }) });

  return {
    title: `${complete ? '✅ ' : overdue ? '⏰ ' : ''}${run.title}`,
    accent,
    summary: `${t('card.checklist.summary', { title: run.title, resolved, total: items.length })}${counts.failed > 0 ? t('card.checklist.summaryFailed', { failed: counts.failed }) : ''}${overdue ? t('card.checklist.summaryOverdue') : ''}`,
    blocks,
  };
}

function describeItem(item: RunItem, t: Translator): string {
  const lines = [`${MARK[item.state]} ${item.title}${item.check ? t('card.checklist.item.auto', { check: item.check }) : ''}`];
  const unknown = t('card.checklist.item.unknown');
  if (item.evidence) lines.push(`   ${item.evidence}`);
  if (item.state === 'skipped') {
    lines.push(`   ${t('card.checklist.item.skipped', { reason: item.reason ?? t('card.checklist.item.noReason'), by: item.by ?? unknown, at: formatUtcTime(item.at ?? 0) })}`);
  } else if (item.state === 'passed' && item.by !== 'warden') lines.push(`   ${t('card.checklist.item.doneBy', { by: item.by ?? unknown, at: formatUtcTime(item.at ?? 0) })}`);
  if (item.state === 'open') {
    if (item.check && !item.evidence) lines.push(`   ${t('card.checklist.item.checking')}`);
    lines.push(`   ${item.guidance}`);
    if (item.note) lines.push(`   (${item.note})`);
  }
  return lines.join('\n');
}

function buildItemActions(runId: string, reasons: readonly string[], item: RunItem, t: Translator): CardBlock {
  const value = JSON.stringify({ r: runId, i: item.id });
  return {
    type: 'actions',
    buttons: [
      item.check
        ? { actionId: CHECKLIST_RECHECK_ACTION_ID, label: t('card.checklist.button.recheck'), value }
        : { actionId: CHECKLIST_DONE_ACTION_ID, label: t('card.checklist.button.done'), value, style: 'primary' },
    ],
    select: {
      actionId: CHECKLIST_SKIP_ACTION_ID,
      placeholder: t('card.checklist.skipPlaceholder'),
      options: reasons.map((reason, o) => ({ label: reason, value: JSON.stringify({ r: runId, i: item.id, o }) })),
    },
  };
}
