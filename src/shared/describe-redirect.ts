import { sanitizeText } from './sanitize-text.js';

/**
 * `, redirect to <origin><path> not followed` for a 3xx answer to `requested`: only where it points,
 * since the Location's credentials, query and fragment may carry tokens. With `showTarget` false
 * (a host a template chose, whose text is never shown), not even that.
 */
export function describeRedirect(response: Response, requested: URL, showTarget = true): string {
  const location = response.headers.get('location');
  if (location === null || !showTarget) return ', redirect not followed';
  try {
    const target = new URL(location, requested);
    return `, redirect to ${sanitizeText(`${target.origin}${target.pathname}`, 80)} not followed`;
  } catch {
    return ', redirect (unparsable Location) not followed';
  }
}
