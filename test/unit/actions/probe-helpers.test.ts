import { describe, expect, it } from 'vitest';
import { describeFetchError } from '../../../src/shared/describe-fetch-error.js';
import { formatDuration } from '../../../src/shared/format-duration.js';
import { readBodyText } from '../../../src/shared/read-body-text.js';
import { sanitizeText } from '../../../src/shared/sanitize-text.js';

const fetchFailure = (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code }) });

describe('describeFetchError', () => {
  it('names timeouts with the configured limit', () => {
    expect(describeFetchError(new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 5)).toBe('timed out after 5 s');
  });

  it.each([
    ['ECONNREFUSED', 'connection refused'],
    ['ENOTFOUND', 'host not found (DNS)'],
    ['ECONNRESET', 'connection reset'],
    ['ERR_TLS_WEIRD', 'TLS error (ERR_TLS_WEIRD)'],
    ['EWHATEVER', 'request failed (EWHATEVER)'],
  ])('maps %s to "%s"', (code, text) => {
    expect(describeFetchError(fetchFailure(code), 5)).toBe(text);
  });

  it('never repeats the error message, which may hold the URL', () => {
    expect(describeFetchError(new TypeError('Failed to parse URL from http://user:secret@host/'), 5)).toBe('request failed');
  });
});

describe('formatDuration', () => {
  it('uses ms below a second and seconds above', () => {
    expect(formatDuration(120.4)).toBe('120 ms');
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(-3)).toBe('0 ms');
  });
});

describe('sanitizeText', () => {
  it('flattens control and bidi characters and truncates', () => {
    expect(sanitizeText('a\r\nb\u0000c\u202ed', 100)).toBe('a b c d');
    expect(sanitizeText('x'.repeat(10), 5)).toBe('xxxx…');
    expect(sanitizeText('😀😀😀', 2)).toBe('😀…');
  });
});

describe('readBodyText', () => {
  it('stops at the limit and says so', async () => {
    const result = await readBodyText(new Response('abcdefghij'), 4);
    expect(result).toEqual({ text: 'abcd', truncated: true });
  });

  it('reads a short body whole', async () => {
    expect(await readBodyText(new Response('ok'), 4)).toEqual({ text: 'ok', truncated: false });
    expect(await readBodyText(new Response(null), 4)).toEqual({ text: '', truncated: false });
  });
});
