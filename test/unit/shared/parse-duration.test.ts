import { describe, expect, it } from 'vitest';
import { formatDurationText, MAX_DURATION_MS, parseDuration } from '../../../src/shared/parse-duration.js';

describe('parseDuration', () => {
  it('reads minutes, hours, days, weeks and parts in a row', () => {
    expect(parseDuration('30m')).toBe(30 * 60_000);
    expect(parseDuration('2h')).toBe(2 * 3_600_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('1w')).toBe(7 * 86_400_000);
    expect(parseDuration('1h30m')).toBe(90 * 60_000);
    expect(parseDuration(' 2H ')).toBe(2 * 3_600_000);
  });

  it('refuses zero, more than a year, other units, signs, fractions and words', () => {
    for (const text of ['0m', '0h0m', '366d', '53w', '10s', '-1h', '1.5h', 'h', '2', '2 h', 'forever', '', '1h 30m', '99999999h']) {
      expect(parseDuration(text), text).toBeUndefined();
    }
    expect(parseDuration('365d')).toBe(MAX_DURATION_MS);
  });
});

describe('formatDurationText', () => {
  it('writes the largest units that divide it, as parseDuration reads them back', () => {
    expect(formatDurationText(2 * 3_600_000)).toBe('2h');
    expect(formatDurationText(90 * 60_000)).toBe('1h30m');
    expect(formatDurationText(36 * 3_600_000)).toBe('1d12h');
    for (const text of ['30m', '4h', '1d12h', '8h', '2d']) expect(formatDurationText(parseDuration(text)!)).toBe(text);
  });
});
