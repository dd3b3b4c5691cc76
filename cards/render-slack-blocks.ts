import { formatMention } from './format-mention.js';
import { WardenError } from '../src/errors/warden-error.js';
import type { Card, CardAccent, CardBlock, CardButton, CardField, CardLink, CardSelect } from './card.js';
import { selectLimits, slackLimits } from './card-limits.js';
import { checkCardSelect } from './check-card-select.js';
import { cleanText } from './clean-text.js';
import { escapeSlackMrkdwn, formatSlackLink } from './escape-slack-mrkdwn.js';
import { fitText } from './fit-text.js';
import { guardPlainText } from './guard-plain-text.js';
import { packSlackList, type CardList } from './pack-slack-list.js';
import { toSafeUrl } from './safe-url.js';
import { selectCardLocale } from './select-card-locale.js';
import { DEFAULT_LOCALE, type Locale } from '../src/shared/messages/locale.js';
import { translator, type Translator } from '../src/shared/messages/translator.js';

/** A Block Kit block, ready for `chat.postMessage` / `chat.update`. */
export type SlackBlock = Record<string, unknown>;

/** What `chat.postMessage` needs: notification `text` plus the `blocks`. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

const accentEmoji: Record<CardAccent, string> = { critical: '🔴', warning: '🟠', info: '🔵', success: '✅', neutral: '⚪' };

/**
 * Renders a neutral card as Block Kit within Slack's limits (50 blocks, 3000-character sections,
 * 10 fields, 25 buttons …): long lists are split between items or end in "+N more", long text is
 * cut at a word boundary. Every piece of card text is escaped and mrkdwn is sent `verbatim`, so
 * card content cannot mention, link or format — except a field's `mention` of a Slack identity, which
 * becomes `<@U…>` (see `formatMention`); the header and button labels are `plain_text`, which
 * Slack does not parse. A block's select menu becomes a `static_select` after its buttons, in the
 * same actions block (or the last one when the buttons fill several). Throws `card_invalid` for a
 * button value over 2000 characters, an action id over 255, or a select with an option value over
 * 150, repeated option values or over 100 options (cutting would break the payload a click echoes back).
 * The card is shown in `locale` (the configured `locale`; default English) when it has that language.
 */
export function renderSlackBlocks(localized: Card, locale: Locale = DEFAULT_LOCALE): SlackMessage {
  const card = selectCardLocale(localized, locale);
  const t = translator(locale);
  const header: SlackBlock = {
    type: 'header',
    text: { type: 'plain_text', text: fitText(`${accentEmoji[card.accent]} ${cleanText(card.title)}`, slackLimits.headerText, guardPlainText) },
  };
  const parts = card.blocks.map((block) => (block.type === 'list' ? block : renderFixedBlock(block, t)));
  const fixedCount = parts.reduce((count, part) => count + (Array.isArray(part) ? part.length : 0), 1);
  const lists = parts.filter((part): part is CardList => !Array.isArray(part));
  const allowance = allocateSections(
    lists.map((list) => packSlackList(list, Infinity).length),
    slackLimits.blocksPerMessage - fixedCount,
  );
  const blocks: SlackBlock[] = [header];
  let listIndex = 0;
  for (const part of parts) {
    if (Array.isArray(part)) blocks.push(...part);
    else blocks.push(...packSlackList(part, allowance[listIndex++] ?? 1).map(section));
  }
  // Mentions in the notification text too: it is what the push notification shows.
  const mentions = formatSlackMentions(card.blocks.flatMap((block) => (block.type === 'mentions' ? block.identities : [])));
  const text = fitText(cleanText(card.summary), slackLimits.fallbackText - mentions.length - 1, escapeSlackMrkdwn);
  return { text: mentions === '' ? text : `${text} ${mentions}`, blocks: enforceBlockLimit(blocks, t) };
}

function renderFixedBlock(block: Exclude<CardBlock, CardList>, t: Translator): SlackBlock[] {
  switch (block.type) {
    case 'text':
      return nonEmpty(fitText(cleanText(block.text, { multiline: true }), slackLimits.sectionText, escapeSlackMrkdwn), section);
    case 'fields':
      return chunk(block.fields, slackLimits.fieldsPerSection).map((fields) => ({
        type: 'section',
        fields: fields.map(renderField),
      }));
    case 'links':
      return nonEmpty(renderLinks(block.links, t), section);
    case 'context':
      return nonEmpty(fitText(cleanText(block.text), slackLimits.contextText, escapeSlackMrkdwn), (text) => ({
        type: 'context',
        elements: [mrkdwn(text)],
      }));
    case 'divider':
      return [{ type: 'divider' }];
    case 'mentions':
      return nonEmpty(formatSlackMentions(block.identities), (text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
    case 'actions': {
      const elements = [...block.buttons.map(renderButton), ...renderSelect(block.select, t)];
      // The select is the last element, so it always lands in the block's last actions block.
      return chunk(elements, slackLimits.elementsPerActions).map((chunkElements) => ({ type: 'actions', elements: chunkElements }));
    }
  }
}

/**
 * `<@U0BOB> <@U0ALICE>`: Slack's mention syntax for user ids
 * (https://api.slack.com/reference/surfaces/formatting#mentioning-users), for the Slack identities
 * among `identities` (at most 50, each once); ids are checked, so nothing else is ever written.
 */
function formatSlackMentions(identities: readonly string[]): string {
  const ids = identities.flatMap((identity) => /^slack:([UW][A-Z0-9]{2,32})$/.exec(identity)?.[1] ?? []);
  return [...new Set(ids)].slice(0, 50).map((id) => `<@${id}>`).join(' ');
}

function renderField(field: CardField): Record<string, unknown> {
  const label = `*${fitText(cleanText(field.label), 100, escapeSlackMrkdwn)}*\n`;
  const mention = formatMention(field.mention, 'slack');
  if (mention !== undefined) return mrkdwn(label + mention);
  return mrkdwn(label + fitText(cleanText(field.value), slackLimits.fieldText - label.length, escapeSlackMrkdwn));
}

function renderLinks(links: readonly CardLink[], t: Translator): string {
  const tokens: string[] = [];
  for (const link of links) {
    const url = toSafeUrl(link.url);
    if (url !== undefined) tokens.push(formatSlackLink(url, fitText(cleanText(link.label), 100)));
  }
  let text = '';
  let shown = 0;
  const reserve = ` · _${t('render.more', { count: tokens.length })}_`.length;
  for (const token of tokens) {
    const joined = text === '' ? token : `${text} · ${token}`;
    if (joined.length + reserve > slackLimits.sectionText) break;
    text = joined;
    shown += 1;
  }
  const hidden = tokens.length - shown;
  return hidden > 0 ? `${text}${text === '' ? '' : ' · '}_${t('render.more', { count: hidden })}_` : text;
}

function renderButton(button: CardButton): Record<string, unknown> {
  if (button.value.length > slackLimits.buttonValue || button.actionId.length > slackLimits.actionId) {
    throw new WardenError('card_invalid', `button ${button.label} has an action id or value over Slack's limits`);
  }
  const element: Record<string, unknown> = {
    type: 'button',
    action_id: button.actionId,
    text: { type: 'plain_text', text: fitText(cleanText(button.label) || button.actionId, slackLimits.buttonText, guardPlainText) },
    value: button.value,
  };
  if (button.style !== undefined) element['style'] = button.style;
  return element;
}

/** A `static_select`, or nothing when there is no select or it has no options to offer. */
function renderSelect(select: CardSelect | undefined, t: Translator): Array<Record<string, unknown>> {
  if (select === undefined || select.options.length === 0) return [];
  checkCardSelect(select);
  return [
    {
      type: 'static_select',
      action_id: select.actionId,
      placeholder: { type: 'plain_text', text: fitText(cleanText(select.placeholder) || t('render.choose'), selectLimits.placeholder, guardPlainText) },
      options: select.options.map((option) => ({
        text: { type: 'plain_text', text: fitText(cleanText(option.label) || option.value, selectLimits.optionText, guardPlainText) },
        value: option.value,
      })),
    },
  ];
}

/** Gives every list one section, then shares what is left round-robin among lists that need more. */
function allocateSections(needs: readonly number[], budget: number): number[] {
  const allowance = needs.map(() => 1);
  let left = budget - needs.length;
  let gave = true;
  while (left > 0 && gave) {
    gave = false;
    for (let i = 0; i < needs.length && left > 0; i += 1) {
      if ((allowance[i] as number) < (needs[i] as number)) {
        allowance[i] = (allowance[i] as number) + 1;
        left -= 1;
        gave = true;
      }
    }
  }
  return allowance;
}

/** Last resort when a card has more fixed blocks than Slack allows: drop dividers, then the middle. */
function enforceBlockLimit(blocks: SlackBlock[], t: Translator): SlackBlock[] {
  const max = slackLimits.blocksPerMessage;
  if (blocks.length <= max) return blocks;
  const withoutDividers = blocks.filter((block) => block['type'] !== 'divider');
  if (withoutDividers.length <= max) return withoutDividers;
  const actions = withoutDividers.filter((block) => block['type'] === 'actions').slice(0, max - 2);
  const others = withoutDividers.filter((block) => block['type'] !== 'actions');
  const note = { type: 'context', elements: [mrkdwn(t('render.slackBlockLimit'))] };
  return [...others.slice(0, max - 1 - actions.length), note, ...actions];
}

// Slack rejects a text object with empty text, so an empty block is left out instead.
function nonEmpty(text: string, toBlock: (text: string) => SlackBlock): SlackBlock[] {
  return text.trim() === '' ? [] : [toBlock(text)];
}

function section(text: string): SlackBlock {
  return { type: 'section', text: mrkdwn(text) };
}

function mrkdwn(text: string): Record<string, unknown> {
  return { type: 'mrkdwn', text, verbatim: true };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
