import { MIN_SECRET_LENGTH } from '../config/min-secret-length.js';
import { listEncodedForms } from './list-encoded-forms.js';

/** What every scrubbed secret is replaced with. */
export const REDACTED = '[redacted]';

/** Known secret values shorter than this are ignored: they would match ordinary words. */
export { MIN_SECRET_LENGTH };

// Each pattern is one alternative of a single RegExp. A pattern whose first capture group holds a
// prefix keeps that prefix (the auth scheme, the URL scheme, the query parameter name) so the log
// still says what was removed; everything else in the match becomes REDACTED.
const PATTERNS: readonly string[] = [
  // `Authorization: Bearer <token>` / `Basic <base64>`; 8+ characters so prose ("Basic usage") survives.
  String.raw`(\b(?:[Bb]earer|BEARER|[Bb]asic|BASIC)\s+)[A-Za-z0-9._~+/-]{8,}=*`,
  // Credentials in a URL: `scheme://user:pass@host` keeps scheme and host.
  String.raw`(\b[A-Za-z][A-Za-z0-9+.-]*://)[^\s/?#@"'<>\\]+(?=@)`,
  // Query parameters that carry secrets.
  String.raw`([?&](?:access_token|refresh_token|token|client_secret|secret|password|api_key|key|signature)=)[^&#\s"'<>\\]+`,
  // Slack bot / user / app-level / refresh tokens.
  String.raw`\bxox[abposre]-[A-Za-z0-9-]+`,
  String.raw`\bxapp-[A-Za-z0-9-]+`,
  // Lark tenant_access_token (t-), app_access_token (a-) and user_access_token (u-).
  String.raw`\b[tau]-[A-Za-z0-9_.]{20,}`,
];

// How many capture groups (kept prefixes) the patterns hold: matching '' against `…|` reports them.
const PREFIX_GROUPS = (new RegExp(`${PATTERNS.join('|')}|`).exec('') ?? []).length - 1;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * Builds a function that removes secrets from free text (log messages, error messages and stacks,
 * URLs): every known secret value of at least {@link MIN_SECRET_LENGTH} characters — as it is and in
 * the encoded forms a target may echo it in (URL-encoded, JSON-escaped, HTML-escaped; see
 * `listEncodedForms`) — plus Bearer and
 * Basic credentials, Slack (`xox?-`, `xapp-`) and Lark (`t-`, `a-`, `u-`) tokens, `user:pass@` in
 * URLs and the values of query parameters such as `token=` or `signature=`. Each becomes
 * `[redacted]`.
 *
 * All patterns are compiled into one RegExp once, here; the returned function makes a single pass
 * and returns its input unchanged (same string) when nothing matches.
 */
export function createSecretScrubber(secrets: readonly string[]): (text: string) => string {
  const values = secrets.filter((secret) => typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH);
  const known = [...new Set(values.flatMap(listEncodedForms))]
    // Longest first, so a secret that contains another is removed whole.
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp);
  // Known secrets go first: one that happens to start like a pattern must still be removed whole.
  const alternatives = known.length > 0 ? [`(?:${known.join('|')})`, ...PATTERNS] : [...PATTERNS];
  const combined = new RegExp(alternatives.join('|'), 'g');

  const replace = (_match: string, ...groups: unknown[]): string => {
    // Capture groups come first in the callback arguments; the one that matched is the kept prefix.
    for (let i = 0; i < PREFIX_GROUPS; i++) {
      const prefix = groups[i];
      if (typeof prefix === 'string') return prefix + REDACTED;
    }
    return REDACTED;
  };

  return (text: string): string => text.replace(combined, replace);
}
