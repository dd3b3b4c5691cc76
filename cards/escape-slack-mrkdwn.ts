const zeroWidthSpace = '\u200b';
const alphanumeric = /[\p{L}\p{N}]/u;

/**
 * Escapes plain text for a Slack `mrkdwn` text object. `&`, `<` and `>` become entities as
 * https://api.slack.com/reference/surfaces/formatting#escaping requires, so `<!channel>`,
 * `<@U123>` and `<https://x|y>` stay text. mrkdwn has no escape character for `*`, `_`, `~` and
 * `` ` ``, so a zero-width space goes in front of each one that could open or close formatting
 * (one between two letters or digits cannot, and is left alone so values copy cleanly).
 * Renderers also set `verbatim: true`, which stops Slack from auto-linking URLs and names.
 */
export function escapeSlackMrkdwn(text: string): string {
  if (!/[&<>*_~`]/.test(text)) return text;
  let out = '';
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i += 1) {
    const char = chars[i] as string;
    if (char === '&') out += '&amp;';
    else if (char === '<') out += '&lt;';
    else if (char === '>') out += lineStartsAt(chars, i) ? `${zeroWidthSpace}&gt;` : '&gt;';
    else if (char === '*' || char === '_' || char === '~' || char === '`') {
      const intraWord = alphanumeric.test(chars[i - 1] ?? '') && alphanumeric.test(chars[i + 1] ?? '');
      out += intraWord && char === '_' ? char : zeroWidthSpace + char;
    } else out += char;
  }
  return out;
}

/** A Slack link `<url|label>`; `url` must come from `toSafeUrl` (it has no `|`, `<` or `>`). */
export function formatSlackLink(url: string, label: string): string {
  return `<${url.replace(/&/g, '&amp;')}|${escapeSlackMrkdwn(label)}>`;
}

// A `>` that starts a line would make the rest of the line a quote.
function lineStartsAt(chars: string[], index: number): boolean {
  for (let i = index - 1; i >= 0; i -= 1) {
    if (chars[i] === '\n') return true;
    if (chars[i] !== ' ') return false;
  }
  return true;
}
