import { WardenError } from '../src/errors/warden-error.js';
import type { Card, CardAccent, CardBlock, CardButton, CardLink } from './card.js';
import { larkLimits } from './card-limits.js';
import { cleanText } from './clean-text.js';
import { escapeLarkMarkdown, formatLarkLink } from './escape-lark-markdown.js';
import { fitText } from './fit-text.js';
import { guardPlainText } from './guard-plain-text.js';
import { toSafeUrl } from './safe-url.js';

/** A Lark card JSON 2.0 object, ready to be stringified into a message's `content`. */
export type LarkCard = Record<string, unknown>;

/** What a button click sends back in `card.action.trigger` → `event.action.value`. */
export interface LarkButtonValue {
  actionId: string;
  /** The card button's value, JSON-parsed when it is a JSON object, otherwise the string itself. */
  value: unknown;
}

const templates: Record<CardAccent, string> = { critical: 'red', warning: 'orange', info: 'blue', success: 'green', neutral: 'grey' };
const minTextBudget = 200;

/**
 * Renders a neutral card as Lark card JSON 2.0 (`schema: "2.0"`, shared card, header with a colour
 * template, `body.elements`; buttons sit in a flowing `column_set` because 2.0 has no `action`
 * container, and send a `callback` behaviour carrying {@link LarkButtonValue}). The serialised card
 * stays within Lark's 30 KB: lists shrink (items move into "+N more") and then long text is cut
 * until it fits. All card text is escaped, so it cannot mention (`<at>`), link or format.
 * Throws `card_too_large` only when even the emptied card does not fit.
 */
export function renderLarkCard(card: Card): LarkCard {
  const cache = new Map<string, string>();
  // The size search renders the card many times; escape each piece of text only once.
  const escape: EscapeText = (text, max) => {
    const key = `${max}\u0000${text}`;
    let escaped = cache.get(key);
    if (escaped === undefined) cache.set(key, (escaped = fitText(cleanText(text), max, escapeLarkMarkdown)));
    return escaped;
  };
  const buildCard = (itemsPerList: number, textBudget: number): LarkCard => renderCard(card, { itemsPerList, textBudget, escape });
  const longest = Math.max(0, ...card.blocks.map((block) => (block.type === 'list' ? block.items.length : 0)));
  for (let textBudget: number = larkLimits.markdownText; textBudget >= minTextBudget; textBudget = Math.floor(textBudget / 2)) {
    if (!fits(buildCard(0, textBudget))) continue;
    // Largest per-list item count that fits: fitting only gets easier as the count goes down.
    let low = 0;
    let high = longest;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (fits(buildCard(mid, textBudget))) low = mid;
      else high = mid - 1;
    }
    return buildCard(low, textBudget);
  }
  throw new WardenError('card_too_large', `card "${fitText(card.title, 80)}" does not fit Lark's ${larkLimits.cardBytes}-byte limit`);
}

type EscapeText = (text: string, max: number) => string;

interface RenderOptions {
  itemsPerList: number;
  textBudget: number;
  escape: EscapeText;
}

function renderCard(card: Card, options: RenderOptions): LarkCard {
  return {
    schema: '2.0',
    config: { update_multi: true, summary: { content: fitText(cleanText(card.summary), larkLimits.summary, guardPlainText) } },
    header: {
      title: { tag: 'plain_text', content: fitText(cleanText(card.title), larkLimits.headerTitle, guardPlainText) },
      template: templates[card.accent],
    },
    body: { elements: card.blocks.flatMap((block) => renderBlock(block, options)) },
  };
}

function renderBlock(block: CardBlock, { itemsPerList, textBudget, escape: escapeText }: RenderOptions): Array<Record<string, unknown>> {
  switch (block.type) {
    case 'text':
      return markdown(fitText(cleanText(block.text, { multiline: true }), textBudget, escapeLarkMarkdown));
    case 'fields':
      return markdown(
        block.fields
          .map((field) => `**${escapeText(field.label, 100)}:** ${escapeText(field.value, Math.min(textBudget, larkLimits.listItem))}`)
          .join('\n'),
      );
    case 'list': {
      const shown = block.items.slice(0, itemsPerList);
      const hidden = block.items.length - shown.length + (block.moreCount ?? 0);
      const lines = [`**${escapeText(block.title, 200)}**`, ...shown.map((item) => `• ${escapeText(item, larkLimits.listItem)}`)];
      if (hidden > 0) lines.push(`*+${hidden} more*`);
      else if (block.items.length === 0) lines.push('*none*');
      return markdown(lines.join('\n'));
    }
    case 'links':
      return markdown(renderLinks(block.links));
    case 'context':
      return markdown(escapeText(block.text, textBudget), { text_size: 'notation' });
    case 'divider':
      return [{ tag: 'hr' }];
    case 'actions':
      if (block.buttons.length === 0) return [];
      return [
        {
          tag: 'column_set',
          flex_mode: 'flow',
          columns: block.buttons.map((button) => ({ tag: 'column', width: 'auto', elements: [renderButton(button)] })),
        },
      ];
  }
}

function renderButton(button: CardButton): Record<string, unknown> {
  const value: LarkButtonValue = { actionId: button.actionId, value: parseValue(button.value) };
  return {
    tag: 'button',
    text: { tag: 'plain_text', content: fitText(cleanText(button.label) || button.actionId, larkLimits.buttonText, guardPlainText) },
    type: button.style ?? 'default',
    behaviors: [{ type: 'callback', value }],
  };
}

function renderLinks(links: readonly CardLink[]): string {
  return links
    .flatMap((link) => {
      const url = toSafeUrl(link.url);
      return url === undefined ? [] : [formatLarkLink(url, fitText(cleanText(link.label), 100))];
    })
    .join(' · ');
}

function parseValue(raw: string): unknown {
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : raw;
  } catch {
    return raw;
  }
}

// Lark rejects an empty markdown element, so an empty block is left out instead.
function markdown(content: string, extra: Record<string, unknown> = {}): Array<Record<string, unknown>> {
  return content.trim() === '' ? [] : [{ tag: 'markdown', content, ...extra }];
}

function fits(card: LarkCard): boolean {
  return Buffer.byteLength(JSON.stringify(card), 'utf8') <= larkLimits.cardBytes;
}
