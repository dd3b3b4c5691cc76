/**
 * The `Authorization: Basic` value made of a URL's user-info (base64 of `user:password`, decoded),
 * as Warden sends it to http targets and Prometheus: a target may echo it. Nothing for a URL
 * without a password or one that does not parse.
 */
export function listBasicCredentials(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return [];
    return [Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')];
  } catch {
    return [];
  }
}
