import { sanitizeText } from './sanitize-text.js';

/** An error's message made safe for one summary line, cut to `maxLength` characters. */
export function describeErrorMessage(error: unknown, maxLength: number): string {
  return sanitizeText(error instanceof Error ? error.message : String(error), maxLength);
}
