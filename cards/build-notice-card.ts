import type { Card, CardAccent } from './card.js';

/** Options for {@link buildNoticeCard}. */
export interface NoticeOptions {
  /** Headline; default: the first line of `text`. */
  title?: string;
  accent?: CardAccent;
  /** Identities to mention (each renderer writes its platform's mention syntax for its own). */
  mentions?: readonly string[];
}

/**
 * A short reply to one person or a channel: a headline and plain text (usage help, a refusal, the
 * result of a command). Renderers escape the text, so echoed user input cannot inject markup.
 */
export function buildNoticeCard(text: string, options: NoticeOptions = {}): Card {
  const firstLine = text.split('\n', 1)[0] ?? '';
  const title = options.title ?? firstLine;
  const rest = options.title === undefined ? text.slice(firstLine.length).trim() : text;
  return {
    title,
    accent: options.accent ?? 'neutral',
    summary: title,
    blocks: [...(rest.length > 0 ? [{ type: 'text' as const, text: rest }] : []), ...(options.mentions?.length ? [{ type: 'mentions' as const, identities: [...options.mentions] }] : [])],
  };
}
