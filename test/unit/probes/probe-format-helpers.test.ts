import { describe, expect, it } from 'vitest';
import { describeFsError } from '../../../src/probes/describe-fs-error.js';
import { describeModeBits, formatMode } from '../../../src/probes/describe-mode-bits.js';
import { formatUtcTime } from '../../../src/shared/format-utc-time.js';
import { formatAge } from '../../../src/probes/format-age.js';
import { formatBytes } from '../../../src/probes/format-bytes.js';
import { formatDays } from '../../../src/probes/format-days.js';
import { parseByteSize } from '../../../src/config/parse-byte-size.js';

describe('parseByteSize', () => {
  it.each([
    ['512', 512],
    ['10 GiB', 10 * 2 ** 30],
    ['1.5MB', 1_500_000],
    ['2 kib', 2048],
    [' 7 B ', 7],
  ])('reads %j as %d bytes', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it.each(['', 'ten GiB', '10 GB/s', '-1 MB', '1 PB', '99999999999 TiB'])('refuses %j', (text) => {
    expect(parseByteSize(text)).toBeUndefined();
  });
});

describe('formatBytes', () => {
  it('uses binary units with few digits', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(3072)).toBe('3 KiB');
    expect(formatBytes(4.25 * 2 ** 20)).toBe('4.3 MiB');
    expect(formatBytes(10 * 2 ** 30)).toBe('10 GiB');
    expect(formatBytes(1.5 * 2 ** 40)).toBe('1.5 TiB');
    expect(formatBytes(-5)).toBe('0 B');
  });
});

describe('formatAge and formatUtcTime', () => {
  it('picks minutes, hours or days', () => {
    expect(formatAge(12 * 60_000)).toBe('12 min');
    expect(formatAge(5.25 * 3_600_000)).toBe('5.2 h');
    expect(formatAge(30.9 * 3_600_000)).toBe('30 h');
    expect(formatAge(95.5 * 86_400_000)).toBe('95 days');
    expect(formatAge(-1)).toBe('0 min');
  });

  it('shows UTC to the minute', () => {
    expect(formatUtcTime(Date.UTC(2026, 0, 5, 3, 12, 59))).toBe('2026-01-05 03:12 UTC');
  });
});

describe('formatDays', () => {
  it('counts whole days either way', () => {
    expect(formatDays(44.9 * 86_400_000)).toBe('44 days');
    expect(formatDays(-1.2 * 86_400_000)).toBe('1 day');
    expect(formatDays(3_600_000)).toBe('less than a day');
  });
});

describe('describeModeBits and formatMode', () => {
  it('says who can do what', () => {
    expect(describeModeBits(0o004)).toBe('others can read');
    expect(describeModeBits(0o066)).toBe('group can read and write, others can read and write');
    expect(describeModeBits(0o4100)).toBe('setuid, owner can execute');
    expect(formatMode(0o100640)).toBe('0640');
  });
});

describe('describeFsError', () => {
  it('names the problem and the path, never the raw message', () => {
    expect(describeFsError(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }), '/backups')).toBe('not found: /backups');
    expect(describeFsError(Object.assign(new Error('x'), { code: 'EACCES' }), '/etc/warden')).toBe('permission denied: /etc/warden');
    expect(describeFsError(Object.assign(new Error('x'), { code: 'EWEIRD' }), '/x')).toBe('cannot read (EWEIRD): /x');
  });
});
