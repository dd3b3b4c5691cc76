import { secretMatches } from '../access/secret-matches.js';

/**
 * True when an `Authorization` header carries `token`, either as Bearer credentials or as the
 * password of Basic auth (Alertmanager's `http_config.authorization` or `basic_auth`). Both sides
 * are hashed first, so the comparison takes the same time whatever the header's length or content.
 */
export function checkWebhookAuthorization(header: string | undefined, token: string): boolean {
  if (!header || token.length === 0) return false;
  const space = header.indexOf(' ');
  if (space < 0) return false;
  const scheme = header.slice(0, space).toLowerCase();
  const credentials = header.slice(space + 1).trim();
  let presented: string;
  if (scheme === 'bearer') {
    presented = credentials;
  } else if (scheme === 'basic') {
    const bytes = Buffer.from(credentials, 'base64');
    // Node's decoder skips characters that are not base64: accept only the canonical encoding.
    if (bytes.toString('base64') !== credentials) return false;
    const decoded = bytes.toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    presented = decoded.slice(colon + 1);
  } else {
    return false;
  }
  return secretMatches(presented, token);
}
