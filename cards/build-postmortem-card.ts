import { buildNoticeCard } from './build-notice-card.js';
import type { Card } from './card.js';
import { localize } from '../src/shared/messages/localize.js';

/** A Slack section holds 3000 characters after escaping: the draft goes out in pieces well below that. */
const POSTMORTEM_BLOCK_CHARS = 2400;

/** Splits `text` at line breaks into pieces of at most `max` characters (a longer line is cut). */
function splitLines(text: string, max: number): string[] {
  const lines = text.split('\n').flatMap((line) => Array.from({ length: Math.max(1, Math.ceil(line.length / max)) }, (_, i) => line.slice(i * max, (i + 1) * max)));
  const pieces: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current !== '' && current.length + 1 + line.length > max) {
      pieces.push(current);
      current = line;
    } else {
      current = current === '' ? line : `${current}\n${line}`;
    }
  }
  if (current.trim() !== '') pieces.push(current);
  return pieces;
}

/** The postmortem draft as a card: the markdown as text, in blocks each platform can show whole. */
export function buildPostmortemCard(key: string, markdown: string): Card {
  const card = buildNoticeCard(markdown, { title: localize('card.postmortem.title', { key }), accent: 'info' });
  const blocks: Card['blocks'] = splitLines(markdown, POSTMORTEM_BLOCK_CHARS).map((text) => ({ type: 'text', text }));
  const translations = Object.fromEntries(Object.entries(card.translations ?? {}).map(([locale, translation]) => [locale, { ...translation, blocks }]));
  return { ...card, blocks, translations };
}
