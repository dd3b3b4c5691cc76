import type { Card, CardAccent, CardBlock, CardButton, CardSelect } from './card.js';
import { cleanText } from './clean-text.js';
import { toSafeUrl } from './safe-url.js';
import { displayWidth, wrapConsoleText } from './wrap-console-text.js';
import { selectCardLocale } from './select-card-locale.js';
import type { Locale } from '../src/shared/messages/locale.js';
import { translator, type Translator } from '../src/shared/messages/translator.js';

/** How the console adapter wants its card. */
export interface ConsoleTextOptions {
  /** Total width of the box in terminal cells (default 80, at least 30). */
  width?: number;
  /** Colour the title by accent with ANSI codes (default false: plain text). */
  color?: boolean;
  /** The language to show the card in (the configured `locale`; default English). */
  locale?: Locale;
  /**
   * Gives each button and menu option the number a person types to press it (the interactive
   * terminal); they are shown as `[3 Acknowledge]` and `7 Not applicable here`. Default: no numbers.
   */
  numberControl?: (actionId: string, value: string) => number;
}

const accentColors: Record<CardAccent, string> = { critical: '31', warning: '33', info: '36', success: '32', neutral: '2' };
const maxListItems = 50;

/**
 * Renders a card as boxed terminal text for the console adapter: title and summary on top, then
 * every block, buttons as `[Acknowledge] [Isolate] …` and a select menu on the next line as
 * `N/A …: Not applicable here | Accepted risk | …`. Control characters in card text (terminal
 * escape sequences included) are removed, so alert labels cannot repaint the terminal; ANSI codes
 * appear only when `color` is asked for.
 */
export function renderConsoleText(localized: Card, options: ConsoleTextOptions = {}): string {
  const card = selectCardLocale(localized, options.locale);
  const t = translator(options.locale ?? 'en');
  const width = Math.max(30, Math.floor(options.width ?? 80));
  const inner = width - 4;
  const title = wrapConsoleText(`[${t(`render.accent.${card.accent}`)}] ${cleanText(card.title)}`, inner);
  const body: string[] = [];
  const summary = cleanText(card.summary);
  if (summary !== '' && summary !== cleanText(card.title)) body.push(...wrapConsoleText(summary, inner), '');
  for (const block of card.blocks) body.push(...renderBlock(block, inner, t, options.numberControl));

  const paint = (text: string): string => (options.color === true ? `\u001b[${accentColors[card.accent]}m${text}\u001b[0m` : text);
  const row = (text: string, painted = false): string => {
    const padding = ' '.repeat(Math.max(0, inner - displayWidth(text)));
    return `│ ${painted ? paint(text) : text}${padding} │`;
  };
  const rule = (left: string, right: string): string => `${left}${'─'.repeat(width - 2)}${right}`;
  while (body.at(-1) === '') body.pop();
  return [rule('┌', '┐'), ...title.map((line) => row(line, true)), rule('├', '┤'), ...body.map((line) => row(line)), rule('└', '┘')].join('\n');
}

type NumberControl = ConsoleTextOptions['numberControl'];

function renderBlock(block: CardBlock, inner: number, t: Translator, numberControl: NumberControl): string[] {
  switch (block.type) {
    case 'text':
      return cleanText(block.text, { multiline: true }).split('\n').flatMap((line) => wrapConsoleText(line, inner));
    case 'fields':
      return block.fields.flatMap((field) => hanging(`${cleanText(field.label)}: `, cleanText(field.value), inner));
    case 'list': {
      const shown = block.items.slice(0, maxListItems);
      const hidden = block.items.length - shown.length + (block.moreCount ?? 0);
      const lines = ['', ...wrapConsoleText(cleanText(block.title), inner)];
      for (const item of shown) lines.push(...hanging('  • ', cleanText(item), inner));
      if (hidden > 0) lines.push(`  ${t('render.more', { count: hidden })}`);
      else if (block.items.length === 0) lines.push(`  (${t('render.none')})`);
      return lines;
    }
    case 'links':
      return [
        '',
        ...block.links.flatMap((link) => {
          const url = toSafeUrl(link.url);
          return url === undefined ? [] : hanging(`${cleanText(link.label)}: `, url, inner);
        }),
      ];
    case 'context':
      return ['', ...hanging('› ', cleanText(block.text), inner)];
    case 'mentions':
      return block.identities.length === 0 ? [] : ['', ...wrapConsoleText(cleanText(block.identities.map((identity) => `@${identity}`).join(' ')), inner)];
    case 'divider':
      return ['', '─'.repeat(inner)];
    case 'actions': {
      const select = renderSelect(block.select, inner, t, numberControl);
      if (block.buttons.length === 0 && select.length > 0) return select;
      return [...renderButtons(block.buttons, inner, numberControl), ...select];
    }
  }
}

function renderButtons(buttons: readonly CardButton[], inner: number, numberControl: NumberControl): string[] {
  const label = (button: CardButton) => (numberControl ? `[${numberControl(button.actionId, button.value)} ${cleanText(button.label)}]` : `[${cleanText(button.label)}]`);
  return wrapConsoleText(buttons.map(label).join(' '), inner);
}

function renderSelect(select: CardSelect | undefined, inner: number, t: Translator, numberControl: NumberControl): string[] {
  if (select === undefined || select.options.length === 0) return [];
  const placeholder = cleanText(select.placeholder) || t('render.choose');
  const label = (option: CardSelect['options'][number]) => {
    const text = cleanText(option.label) || option.value;
    return numberControl ? `${numberControl(select.actionId, option.value)} ${text}` : text;
  };
  return hanging(`${placeholder}: `, select.options.map(label).join(' | '), inner);
}

/** Wraps `text` after `prefix`, indenting continuation lines under the text. */
function hanging(prefix: string, text: string, inner: number): string[] {
  const indent = displayWidth(prefix);
  if (indent > inner / 2) return wrapConsoleText(prefix + text, inner);
  const lines = wrapConsoleText(text, inner - indent);
  return lines.map((line, i) => (i === 0 ? prefix : ' '.repeat(indent)) + line);
}
