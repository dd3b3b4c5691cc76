import type { CardBlock } from './card.js';
import { slackLimits } from './card-limits.js';
import { cleanText } from './clean-text.js';
import { escapeSlackMrkdwn } from './escape-slack-mrkdwn.js';
import { fitText } from './fit-text.js';

/** A card list block. */
export type CardList = Extract<CardBlock, { type: 'list' }>;

/**
 * Lays a list out as Slack section texts (mrkdwn, each ≤ 3000 characters), splitting only between
 * items, in at most `maxSections` sections. Items that do not fit, plus the list's own
 * `moreCount`, become a final "+N more" line. Pass `Infinity` to learn how many sections the
 * whole list needs.
 */
export function packSlackList(list: CardList, maxSections: number): string[] {
  const max = slackLimits.sectionText;
  const title = `*${fitText(cleanText(list.title), 200, escapeSlackMrkdwn)}*`;
  const lines = list.items.map((item) => `• ${fitText(cleanText(item), slackLimits.listItem, escapeSlackMrkdwn)}`);
  const extra = list.moreCount ?? 0;
  // Room for the longest "+N more" line this list can need, kept free in every section.
  const reserve = formatMore(lines.length + extra).length + 1;
  const sections: string[] = [];
  let current = title;
  let next = 0;
  while (next < lines.length) {
    const line = lines[next] as string;
    const joined = current === '' ? line : `${current}\n${line}`;
    if (joined.length + reserve <= max) {
      current = joined;
      next += 1;
    } else if (sections.length + 1 < maxSections) {
      sections.push(current);
      current = '';
    } else break;
  }
  const hidden = lines.length - next + extra;
  if (hidden > 0) current = current === '' ? formatMore(hidden) : `${current}\n${formatMore(hidden)}`;
  else if (lines.length === 0) current = `${current}\n_none_`;
  sections.push(current);
  return sections;
}

function formatMore(count: number): string {
  return `_+${count} more_`;
}
