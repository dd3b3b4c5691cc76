/**
 * Prepares untrusted text for a platform `plain_text` object (Slack header and button text, Lark
 * header, summary and button text). Those are not parsed for markup, but a zero-width space after
 * every `<` makes sure nothing shaped like `<!channel>` or `<at id=all></at>` ever reaches the
 * platform intact, whatever a client does with it; the text looks the same.
 */
export function guardPlainText(text: string): string {
  return text.replace(/</g, '<\u200b');
}
