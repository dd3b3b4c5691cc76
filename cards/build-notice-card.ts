import type { Card, CardAccent } from './card.js';
import { localizeCard } from './localize-card.js';
import { pickText } from '../src/shared/messages/localize.js';
import type { Locale, LocalizedText } from '../src/shared/messages/locale.js';

/** Options for {@link buildNoticeCard}. */
export interface NoticeOptions {
  /** Headline; default: the first line of `text`. */
  title?: string | LocalizedText;
  accent?: CardAccent;
  /** Identities to mention (each renderer writes its platform's mention syntax for its own). */
  mentions?: readonly string[];
}

/**
 * A short reply to one person or a channel: a headline and plain text (usage help, a refusal, the
 * result of a command). Renderers escape the text, so echoed user input cannot inject markup.
 * A text or title from the message catalogue (`localize`) makes a card in every language; a plain
 * string is shown as it is.
 */
export function buildNoticeCard(text: string | LocalizedText, options: NoticeOptions = {}): Card {
  if (typeof text === 'string' && (options.title === undefined || typeof options.title === 'string')) return buildNotice(text, options.title, options);
  return localizeCard((_t, locale: Locale) => buildNotice(pickText(text, locale), options.title === undefined ? undefined : pickText(options.title, locale), options));
}

function buildNotice(text: string, givenTitle: string | undefined, options: NoticeOptions): Card {
  const firstLine = text.split('\n', 1)[0] ?? '';
  const title = givenTitle ?? firstLine;
  const rest = givenTitle === undefined ? text.slice(firstLine.length).trim() : text;
  return {
    title,
    accent: options.accent ?? 'neutral',
    summary: title,
    blocks: [...(rest.length > 0 ? [{ type: 'text' as const, text: rest }] : []), ...(options.mentions?.length ? [{ type: 'mentions' as const, identities: [...options.mentions] }] : [])],
  };
}
