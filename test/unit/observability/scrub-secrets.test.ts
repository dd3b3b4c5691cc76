import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSecretScrubber, REDACTED } from '../../../src/observability/scrub-secrets.js';

const scrub = createSecretScrubber([]);

describe('createSecretScrubber', () => {
  it.each([
    ['Bearer token', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', 'Authorization: Bearer [redacted]', 'eyJhbGci'],
    ['lower-case bearer', 'authorization: bearer 0123456789abcdef', 'authorization: bearer [redacted]', '0123456789abcdef'],
    ['Basic credentials', 'Authorization: Basic YWxlcnRtYW5hZ2VyOnMzY3IzdA==', 'Authorization: Basic [redacted]', 'YWxlcnRtYW5hZ2VyOnMzY3IzdA'],
    ['Slack bot token', 'invalid token xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp', 'invalid token [redacted]', 'xoxb-1234'],
    ['Slack user token', 'using xoxp-11-22-33-abcdef', 'using [redacted]', 'abcdef'],
    ['Slack app-level token', 'socket mode with xapp-1-A0123-456789-deadbeef failed', 'socket mode with [redacted] failed', 'deadbeef'],
    ['Lark tenant token', 'tenant_access_token=t-g1044ghJRUIJJ5ELJFHVKAKE4RVMMNN5BQP7BZ6 expired', 'tenant_access_token=[redacted] expired', 'g1044gh'],
    ['Lark app token', '"a-6b1c4e3f9d2a8b7c5e4f3a2b1c0d9e8f"', '"[redacted]"', '6b1c4e3f'],
    ['Lark user token', 'u-Q7JWnaIM_kRChuLfreHmpArjOEayt.5XUBJcZr', '[redacted]', 'Q7JWnaIM'],
    ['URL password', 'connect ECONNREFUSED redis://:hunter2@10.0.0.5:6379', 'connect ECONNREFUSED redis://[redacted]@10.0.0.5:6379', 'hunter2'],
    ['URL user and password', 'GET https://ops:s3cr3t@firewall.internal/api', 'GET https://[redacted]@firewall.internal/api', 's3cr3t'],
    ['token query parameter', 'https://hooks.example/cb?token=abc123&page=2', 'https://hooks.example/cb?token=[redacted]&page=2', 'abc123'],
    ['access_token parameter', '/open-apis/x?a=1&access_token=zzz999#frag', '/open-apis/x?a=1&access_token=[redacted]#frag', 'zzz999'],
    ['secret parameter', 'https://x.example/?secret=s-e-c', 'https://x.example/?secret=[redacted]', 's-e-c'],
    ['password parameter', 'login?user=a&password=p4ss word', 'login?user=a&password=[redacted] word', 'p4ss'],
    ['key parameter', 'maps?key=AIzaSyD-123&q=x', 'maps?key=[redacted]&q=x', 'AIzaSyD'],
    ['signature parameter', 'https://s3.example/o?X=1&signature=f00ba4', 'https://s3.example/o?X=1&signature=[redacted]', 'f00ba4'],
  ])('redacts a %s', (_name, input, expected, secretPart) => {
    const output = scrub(input);
    expect(output).toBe(expected);
    expect(output).not.toContain(secretPart);
  });

  it('redacts several secrets of different kinds in one string', () => {
    const output = scrub('retry redis://:pw123456@r:6379 with xoxb-1-2-abc and Bearer abcdefgh12345678?token=q');
    expect(output).toBe('retry redis://[redacted]@r:6379 with [redacted] and Bearer [redacted]?token=[redacted]');
  });

  it('redacts known secret values wherever they appear, ignoring values shorter than 8 characters', () => {
    const scrubKnown = createSecretScrubber(['Sl4ckSigningSecretValue', 'short7c', 'pa$$(w0rd).*+?']);
    expect(scrubKnown('sig mismatch for Sl4ckSigningSecretValue; keyed=Sl4ckSigningSecretValue')).toBe(
      'sig mismatch for [redacted]; keyed=[redacted]',
    );
    // Regex metacharacters in a secret are matched literally.
    expect(scrubKnown('password was pa$$(w0rd).*+? today')).toBe('password was [redacted] today');
    expect(scrubKnown('pa$$Xw0rdY')).toBe('pa$$Xw0rdY');
    expect(scrubKnown('value short7c stays')).toBe('value short7c stays');
  });

  it('removes a secret that contains another secret whole', () => {
    const scrubKnown = createSecretScrubber(['abcdefgh', 'abcdefgh-ijklmnop']);
    expect(scrubKnown('x abcdefgh-ijklmnop y')).toBe('x [redacted] y');
  });

  it.each([
    'tokenize the input before parsing',
    'the monkey ate a banana',
    'incident inc-3f9a1c2b7d4e moved to analyze',
    'queue notify: 3 waiting, 1 active',
    'Basic usage: /audit weekly',
    'The bearer of this note',
    'see https://grafana.example/d/warden?orgId=1&from=now-6h',
    'contact ops@example.com about t-shirts',
    'keys=12 secrets loaded, password policy ok, signature verified',
    'xoxo hugs, xapple pie',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(scrub(text)).toBe(text);
  });

  it('does not redact again what it already redacted', () => {
    const once = scrub('Bearer abcdefgh12345678 redis://u:p@h/?key=v xoxb-1-a');
    expect(scrub(once)).toBe(once);
    expect(once.split(REDACTED)).toHaveLength(5);
  });

  it('never lets a known secret through, whatever surrounds it', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'abcdefXYZ0123456789_-.'.split('')), minLength: 8, maxLength: 40 }).filter((s) => !REDACTED.includes(s)),
        fc.string(),
        fc.string(),
        (secret, before, after) => {
          const output = createSecretScrubber([secret])(`${before}${secret}${after}`);
          expect(output).not.toContain(secret);
        },
      ),
    );
  });

  it('handles long log lines quickly', () => {
    const line = 'ordinary words and inc-3f9a1c2b7d4e identifiers '.repeat(2000);
    const scrubKnown = createSecretScrubber(Array.from({ length: 20 }, (_, i) => `secret-value-${i}-${'x'.repeat(10)}`));
    const started = performance.now();
    for (let i = 0; i < 20; i++) expect(scrubKnown(line)).toBe(line);
    // ~2 MB scanned; a catastrophic pattern would take seconds.
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
