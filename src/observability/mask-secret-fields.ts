import { REDACTED } from './scrub-secrets.js';

/**
 * Names of fields, headers and parameters whose values are secrets whatever they hold:
 * `Authorization`, `Cookie`, `Set-Cookie`, and every name containing token, secret, password,
 * passwd, key, credential, signature, session or auth (but not author).
 */
export const SECRET_FIELD_NAME = /authorization|cookie|token|secret|passw(?:or)?d|key|credential|signature|session|auth(?!or)/i;

// A JSON member whose value is a string (possibly cut off at the end of the text) or a number.
const JSON_MEMBER = /("((?:[^"\\\r\n]|\\.){1,80})"\s*:\s*)("(?:[^"\\]|\\.)*(?:"|$)|-?\d[\d.eE+-]*)/g;
// The same inside a JSON string (a body echoed as a string): quotes are written \".
const ESCAPED_JSON_MEMBER = /(\\"([A-Za-z0-9_.-]{1,80})\\"\s*:\s*)(\\"(?:[^"\\]|\\[^"]|\\\\)*?(?:\\"|$))/g;
// A header line (`X-Api-Key: …`) or a YAML-like `password: …` line.
const HEADER_LINE = /^([ \t]*([A-Za-z0-9_.-]{1,80})[ \t]*:[ \t]*)(\S[^\r\n]*)$/gm;
// A query or form parameter (`api_key=…`).
const PARAMETER = /((?:^|[?&\s;,])([A-Za-z0-9_.[\]-]{1,80})=)([^&\s"'<>;,\u0000-\u001f]+)/g;

/**
 * Masks values by the name they are given in text a target sent back: JSON members (also inside
 * an escaped JSON string), header lines and query or form parameters whose name looks secret
 * ({@link SECRET_FIELD_NAME}) keep their name and lose their value to `[redacted]`. This catches
 * credentials Warden never knew (a target's own tokens, a header built from alert labels).
 */
export function maskSecretFields(text: string): string {
  const mask = (quoted: boolean) => (match: string, prefix: string, name: string): string => {
    if (!SECRET_FIELD_NAME.test(name)) return match;
    return quoted ? `${prefix}"${REDACTED}"` : `${prefix}${REDACTED}`;
  };
  return text
    .replace(JSON_MEMBER, mask(true))
    .replace(ESCAPED_JSON_MEMBER, (match: string, prefix: string, name: string) => (SECRET_FIELD_NAME.test(name) ? `${prefix}\\"${REDACTED}\\"` : match))
    .replace(HEADER_LINE, mask(false))
    .replace(PARAMETER, mask(false));
}
