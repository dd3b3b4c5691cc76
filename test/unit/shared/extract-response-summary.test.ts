import { describe, expect, it } from 'vitest';
import { extractResponseSummary } from '../../../src/shared/extract-response-summary.js';

describe('extractResponseSummary', () => {
  const body = JSON.stringify({ error: { code: 'E_LOCKED', message: 'host is locked' }, items: [{ state: 'isolated' }], count: 3, ok: false });

  it('shows one JSON field by its dotted path, scalars as they are and the rest as JSON', () => {
    expect(extractResponseSummary({ json: 'error.code' }, body)).toBe('E_LOCKED');
    expect(extractResponseSummary({ json: 'items.0.state' }, body)).toBe('isolated');
    expect(extractResponseSummary({ json: 'count' }, body)).toBe('3');
    expect(extractResponseSummary({ json: 'ok' }, body)).toBe('false');
    expect(extractResponseSummary({ json: 'items' }, body)).toBe('[{"state":"isolated"}]');
  });

  it('shows nothing for a missing field, a body that is not JSON, or a path through a scalar', () => {
    expect(extractResponseSummary({ json: 'error.detail' }, body)).toBe('');
    expect(extractResponseSummary({ json: 'count.x' }, body)).toBe('');
    expect(extractResponseSummary({ json: 'items.5.state' }, body)).toBe('');
    expect(extractResponseSummary({ json: 'constructor' }, body)).toBe('');
    expect(extractResponseSummary({ json: 'error.code' }, '<html>E_LOCKED</html>')).toBe('');
  });

  it('shows the first capture group of a match, or the whole match without one', () => {
    const text = 'line one\nreason: quota exceeded\nsecret stuff';
    expect(extractResponseSummary({ match: '^reason: (.*)$' }, text)).toBe('quota exceeded');
    expect(extractResponseSummary({ match: 'quota \\w+' }, text)).toBe('quota exceeded');
    expect(extractResponseSummary({ match: '^status: (.*)$' }, text)).toBe('');
  });
});
