import { formatMention } from './format-mention.js';
import { WardenError } from '../src/errors/warden-error.js';
import type { Card, CardAccent, CardBlock, CardButton, CardLink, CardSelect } from './card.js';
import { larkLimits, selectLimits } from './card-limits.js';
import { checkCardSelect } from './check-card-select.js';
import { cleanText } from './clean-text.js';
import { escapeLarkMarkdown, formatLarkLink } from './escape-lark-markdown.js';
import { fitText } from './fit-text.js';
import { guardPlainText } from './guard-plain-text.js';
import { toSafeUrl } from './safe-url.js';
import { mergeLarkLocales } from './merge-lark-locales.js';
import { selectCardLocale } from './select-card-locale.js';
import { DEFAULT_LOCALE, locales, type Locale } from '../src/shared/messages/locale.js';
import { translator, type Translator } from '../src/shared/messages/translator.js';

/** A Lark card JSON 2.0 object, ready to be stringified into a message's `content`. */
export type LarkCard = Record<string, unknown>;

/** What a button click sends back in `card.action.trigger` → `event.action.value`. */
export interface LarkButtonValue {
  actionId: string;
  /** The card button's value, JSON-parsed when it is a JSON object, otherwise the string itself. */
  value: unknown;
}

/**
 * What a select menu sends back in `card.action.trigger`: `event.action.value` is this (no `value`:
 * the chosen option's value arrives beside it as `event.action.option`).
 */
export interface LarkSelectValue {
  actionId: string;
}

const templates: Record<CardAccent, string> = { critical: 'red', warning: 'orange', info: 'blue', success: 'green', neutral: 'grey' };
const minTextBudget = 200;

/**
 * Renders a neutral card as Lark card JSON 2.0 (`schema: "2.0"`, shared card, header with a colour
 * template, `body.elements`; buttons sit in a flowing `column_set` because 2.0 has no `action`
 * container, and send a `callback` behaviour carrying {@link LarkButtonValue}; a block's select
 * menu is a `select_static` in the same row, after the buttons, carrying {@link LarkSelectValue}).
 * The serialised card stays within Lark's 30 KB: lists shrink (items move into "+N more") and then
 * long text is cut until it fits; select menus are never cut. All card text is escaped, so it cannot mention (`<at>`), link or format;
 * only a field's `mention` of a Lark identity becomes `<at id=ou_…></at>` (see `formatMention`).
 * Throws `card_too_large` only when even the emptied card does not fit, and `card_invalid` for a
 * select that breaks the neutral card's limits (see `CardSelect`).
 * A card with `translations` carries every language (see `mergeLarkLocales`): its texts have
 * `i18n_content` with `en_us` and `zh_cn`, so each reader sees their Lark client's language. A card
 * that cannot fit 30 KB with every language (even with its lists and texts cut) goes out in English only.
 */
export function renderLarkCard(card: Card): LarkCard {
  const versions = locales.flatMap((locale): Array<readonly [Locale, Card]> => {
    if (locale === DEFAULT_LOCALE) return [[locale, selectCardLocale(card, locale)]];
    const translation = card.translations?.[locale];
    return translation === undefined ? [] : [[locale, selectCardLocale(translation, locale)]];
  });
  const cache = new Map<string, string>();
  // The size search renders the card many times; escape each piece of text only once.
  const escape: EscapeText = (text, max) => {
    const key = `${max}\u0000${text}`;
    let escaped = cache.get(key);
    if (escaped === undefined) cache.set(key, (escaped = fitText(cleanText(text), max, escapeLarkMarkdown)));
    return escaped;
  };
  const rendered = fitCard(card, versions, escape) ?? (versions.length > 1 ? fitCard(card, versions.slice(0, 1), escape) : undefined);
  if (rendered !== undefined) return rendered;
  throw new WardenError('card_too_large', `card "${fitText(card.title, 80)}" does not fit Lark's ${larkLimits.cardBytes}-byte limit`);
}

/** The card in `versions`' languages with as much of its lists and texts as fits Lark's limit; undefined when even the emptied card does not. */
function fitCard(card: Card, versions: ReadonlyArray<readonly [Locale, Card]>, escape: EscapeText): LarkCard | undefined {
  const buildCard = (itemsPerList: number, textBudget: number): LarkCard =>
    mergeLarkLocales(versions.map(([locale, version]) => [locale, renderCard(version, { itemsPerList, textBudget, escape, t: translator(locale) })] as const));
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
  return undefined;
}

type EscapeText = (text: string, max: number) => string;

interface RenderOptions {
  itemsPerList: number;
  textBudget: number;
  escape: EscapeText;
  t: Translator;
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

function renderBlock(block: CardBlock, { itemsPerList, textBudget, escape: escapeText, t }: RenderOptions): Array<Record<string, unknown>> {
  switch (block.type) {
    case 'text':
      return markdown(fitText(cleanText(block.text, { multiline: true }), textBudget, escapeLarkMarkdown));
    case 'fields':
      return markdown(
        block.fields
          .map((field) => `**${escapeText(field.label, 100)}:** ${formatMention(field.mention, 'lark') ?? escapeText(field.value, Math.min(textBudget, larkLimits.listItem))}`)
          .join('\n'),
      );
    case 'list': {
      const shown = block.items.slice(0, itemsPerList);
      const hidden = block.items.length - shown.length + (block.moreCount ?? 0);
      const lines = [`**${escapeText(block.title, 200)}**`, ...shown.map((item) => `• ${escapeText(item, larkLimits.listItem)}`)];
      if (hidden > 0) lines.push(`*${t('render.more', { count: hidden })}*`);
      else if (block.items.length === 0) lines.push(`*${t('render.none')}*`);
      return markdown(lines.join('\n'));
    }
    case 'links':
      return markdown(renderLinks(block.links));
    case 'context':
      return markdown(escapeText(block.text, textBudget), { text_size: 'notation' });
    case 'divider':
      return [{ tag: 'hr' }];
    case 'mentions': {
      // Card JSON 2.0 markdown mentions a user as <at id=open_id></at>
      // (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/rich-text);
      // open_ids are checked, so nothing else is ever written.
      const ids = block.identities.flatMap((identity) => /^lark:(ou_[A-Za-z0-9_-]{1,64})$/.exec(identity)?.[1] ?? []);
      return markdown([...new Set(ids)].slice(0, 50).map((id) => `<at id=${id}></at>`).join(' '));
    }
    case 'actions': {
      const elements = [...block.buttons.map(renderButton), ...renderSelect(block.select, t)];
      if (elements.length === 0) return [];
      return [{ tag: 'column_set', flex_mode: 'flow', columns: elements.map((element) => ({ tag: 'column', width: 'auto', elements: [element] })) }];
    }
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

/**
 * A `select_static` (card JSON 2.0, "Dropdown select - single"): plain_text placeholder and option
 * texts, and a `callback` behaviour like the buttons'. Nothing when there is no select or no option.
 */
function renderSelect(select: CardSelect | undefined, t: Translator): Array<Record<string, unknown>> {
  if (select === undefined || select.options.length === 0) return [];
  checkCardSelect(select);
  // https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/interactive-components/single-select-dropdown-menu
  // and "card.action.trigger" (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-callback-communication):
  // choosing an option calls back with event.action.tag "select_static", event.action.value = the
  // behaviour's value and event.action.option = the chosen option's value, so the option carries the payload.
  const value: LarkSelectValue = { actionId: select.actionId };
  return [
    {
      tag: 'select_static',
      placeholder: { tag: 'plain_text', content: fitText(cleanText(select.placeholder) || t('render.choose'), selectLimits.placeholder, guardPlainText) },
      options: select.options.map((option) => ({
        text: { tag: 'plain_text', content: fitText(cleanText(option.label) || option.value, larkLimits.buttonText, guardPlainText) },
        value: option.value,
      })),
      behaviors: [{ type: 'callback', value }],
    },
  ];
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
