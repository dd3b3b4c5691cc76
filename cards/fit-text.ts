const ellipsis = '…';

/**
 * Shortens `text` to at most `max` UTF-16 units, cutting at the last word boundary that fits and
 * ending with "…"; a single word longer than the room is cut hard. Never splits a surrogate pair.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max === 1) return ellipsis;
  let cut = max - 1;
  if (isLowSurrogate(text.charCodeAt(cut))) cut -= 1;
  const head = text.slice(0, cut);
  const boundary = head.search(/\s\S*$/);
  // Only back off to a word boundary when it keeps at least half the room; otherwise cut the word.
  const kept = boundary > cut / 2 ? head.slice(0, boundary) : head;
  return kept.trimEnd() + ellipsis;
}

/**
 * Escapes `text` with `escape` and returns a result of at most `max` units. Shortening happens on
 * the raw text (at a word boundary) before escaping, so an escape sequence is never cut in half.
 */
export function fitText(text: string, max: number, escape: (raw: string) => string = identity): string {
  let escaped = escape(text);
  if (escaped.length <= max) return escaped;
  let budget = Math.min(text.length, max);
  while (budget > 0) {
    escaped = escape(truncateText(text, budget));
    if (escaped.length <= max) return escaped;
    budget = Math.min(budget - 1, Math.floor((budget * max) / escaped.length));
  }
  return '';
}

function identity(text: string): string {
  return text;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
