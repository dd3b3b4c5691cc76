import { buildChecklistCard } from '../../cards/build-checklist-card.js';
import { renderLarkCard } from '../../cards/render-lark-card.js';
import { renderSlackBlocks } from '../../cards/render-slack-blocks.js';
import type { ChecklistRun, RunItem } from '../model/checklist-run.js';
import type { Checklist } from './checklist-schema.js';

/** The longest evidence line a probe gives (see `sanitizeText` in the probe runners): the worst case a card must hold. */
const EVIDENCE_CHARS = 300;

/**
 * Why a checklist's card would not fit Slack or Lark at its largest — every automated item failed
 * with the longest evidence, every manual item open with its guidance and the N/A menu, the
 * longest run id — or undefined when it fits. Checked when checklists load, so a run never meets a
 * card the platforms refuse (Slack: 50 blocks; Lark: 30 KB).
 */
export function checkCardFits(checklist: Checklist): string | undefined {
  const run: ChecklistRun = {
    id: `${checklist.id}-${'z'.repeat(9)}-ffff`,
    checklistId: checklist.id,
    title: checklist.title,
    trigger: 'command',
    requestedBy: `lark:ou_${'f'.repeat(32)}`,
    slot: 0,
    startedAt: 24 * 3_600_000,
    dueAt: 48 * 3_600_000,
    destinations: [],
    itemIds: checklist.items.map((item) => item.id),
    skipReasons: checklist.skipReasons,
  };
  const items = checklist.items.map(
    (item): RunItem =>
      item.check === undefined
        ? { id: item.id, title: item.title, guidance: item.guidance, state: 'open', note: 'n'.repeat(120) }
        : { id: item.id, title: item.title, guidance: item.guidance, check: 'k'.repeat(20), state: 'failed', by: 'warden', at: 0, evidence: 'e'.repeat(EVIDENCE_CHARS) },
  );
  const card = buildChecklistCard({ view: { run, items, version: 1 }, now: 0 });
  try {
    const slack = renderSlackBlocks(card).blocks as { type: string }[];
    const wanted = card.blocks.filter((block) => block.type === 'actions').length;
    if (slack.filter((block) => block.type === 'actions').length < wanted) {
      return `its card would need more than Slack's 50 blocks (two per open item); split it into two checklists`;
    }
    renderLarkCard(card);
    return undefined;
  } catch (error) {
    return `its card would not fit (${(error as Error).message}); shorten the guidance, offer fewer skipReasons or split it into two checklists`;
  }
}
