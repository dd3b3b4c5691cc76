const alphanumeric = /[\p{L}\p{N}]/u;
// Characters that start Lark markdown syntax: tags (`<at id=all></at>`, `<font>`), emphasis, links,
// code, tables, formulas and escapes. Lark decodes HTML character references in markdown content,
// which is how its docs say to show these literally
// (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/rich-text).
const special = new Set(['&', '<', '>', '*', '~', '[', ']', '(', ')', '`', '|', '\\', '$', '!', '{', '}']);
// These only mean something at the start of a line (headings, lists, rules).
const lineStart = new Set(['#', '+', '-', '=']);

/**
 * Escapes plain text for a Lark card `markdown` element so alert labels cannot inject mentions
 * (`<at id=all></at>`), links (`[x](http://evil)`) or formatting (`*bold*`). Each special character
 * becomes a numeric character reference (`*` → `&#42;`); `_` between two letters or digits cannot
 * format and is left alone.
 */
export function escapeLarkMarkdown(text: string): string {
  if (!/[&<>*~[\]()`|\\$!{}_]|(^|\n)\s*([#+\-=]|\d+\.)/.test(text)) return text;
  let out = '';
  const chars = Array.from(text);
  let atLineStart = true;
  for (let i = 0; i < chars.length; i += 1) {
    const char = chars[i] as string;
    const intraWordUnderscore = char === '_' && alphanumeric.test(chars[i - 1] ?? '') && alphanumeric.test(chars[i + 1] ?? '');
    const numberedListDot = char === '.' && atLineStart && /^\d+$/.test(chars.slice(lineBegin(chars, i), i).join('').trim());
    if (special.has(char) || (char === '_' && !intraWordUnderscore) || (atLineStart && lineStart.has(char)) || numberedListDot) {
      out += `&#${char.codePointAt(0)};`;
    } else out += char;
    if (char === '\n') atLineStart = true;
    else if (char !== ' ' && !/\d/.test(char)) atLineStart = false;
  }
  return out;
}

/** A Lark markdown link `[label](url)`; `url` must come from `toSafeUrl` (no spaces or parentheses). */
export function formatLarkLink(url: string, label: string): string {
  return `[${escapeLarkMarkdown(label)}](${url})`;
}

function lineBegin(chars: string[], index: number): number {
  let i = index;
  while (i > 0 && chars[i - 1] !== '\n') i -= 1;
  return i;
}
