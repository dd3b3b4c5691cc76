const LITERAL_AUTHORITY = /^https?:\/\/([^/?#]*)/i;

/**
 * True when a URL template lets its inputs choose the host (or port, or scheme): a template inside
 * `scheme://host:port`, or a URL that does not begin with a literal `http://` or `https://`.
 * Templates after the host can only fill the path and query: `escapeUrlComponent` encodes `/ ? # @`.
 */
export function hasTemplatedHost(urlTemplate: string): boolean {
  const authority = LITERAL_AUTHORITY.exec(urlTemplate.trimStart());
  return authority === null || authority[1]!.includes('{{');
}
