/**
 * Returns `raw` normalised when it is an absolute http(s) URL without credentials, otherwise
 * undefined. Cards only ever link to what this accepts (no `javascript:`, no `user:pass@`).
 */
export function toSafeUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  // WHATWG serialisation percent-encodes spaces, quotes and angle brackets; these three are left
  // alone by it but end a link in Slack (`|`) or Markdown (`(`, `)`).
  return url.href.replace(/\|/g, '%7C').replace(/\(/g, '%28').replace(/\)/g, '%29');
}
