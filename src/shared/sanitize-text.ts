// Control characters, line/paragraph separators, zero-width and bidirectional-override characters:
// they could forge extra lines or reorder text on a card.
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]+/g;

/**
 * Makes untrusted text (a response body, a Prometheus error, a label value) safe to show on one
 * line: unsafe characters become spaces, whitespace runs collapse, and the result is cut to
 * `maxLength` characters (code points) with a trailing "…".
 */
export function sanitizeText(text: string, maxLength: number): string {
  const clean = text.replace(UNSAFE_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
  const characters = Array.from(clean);
  if (characters.length <= maxLength) return clean;
  return `${characters.slice(0, Math.max(0, maxLength - 1)).join('').trimEnd()}…`;
}
