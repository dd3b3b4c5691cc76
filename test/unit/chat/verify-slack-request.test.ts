import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifySlackRequest, type SlackRequestInput, type SlackVerification } from '../../../src/chat/slack/verify-slack-request.js';
import { warmUpBinaryStrings, WARM_UP_TIMEOUT_MS } from '../../support/warm-up-binary-strings.js';

interface SlackVector {
  source: string;
  signingSecret: string;
  timestamp: string;
  body: string;
  signature: string;
}
const VECTOR = (JSON.parse(readFileSync(new URL('../../fixtures/vectors.json', import.meta.url), 'utf8')) as { slack_v0_signature: SlackVector })
  .slack_v0_signature;
const TS = Number(VECTOR.timestamp);
const NOW = TS * 1000 + 1_234;

/** The `X-Slack-Signature` Slack would send, computed independently of the code under test. */
function sign(secret: string, timestamp: string, body: Buffer | string): string {
  return `v0=${createHmac('sha256', secret).update(Buffer.concat([Buffer.from(`v0:${timestamp}:`), Buffer.from(body)])).digest('hex')}`;
}

/** The official vector, with `overrides` applied. */
function request(overrides: Partial<SlackRequestInput> = {}): SlackRequestInput {
  return { signingSecret: VECTOR.signingSecret, rawBody: Buffer.from(VECTOR.body), timestampHeader: VECTOR.timestamp, signatureHeader: VECTOR.signature, nowMs: NOW, ...overrides };
}

function codeOf(input: SlackRequestInput): string {
  const result = verifySlackRequest(input);
  return result.ok ? 'ok' : result.code;
}

function expectWellFormed(result: SlackVerification): void {
  expect(typeof result.ok).toBe('boolean');
  if (!result.ok) {
    expect(result.code).toMatch(/^[a-z_]+$/);
    expect(result.message.length).toBeGreaterThan(10);
  }
}

beforeAll(warmUpBinaryStrings, WARM_UP_TIMEOUT_MS);

describe('verifySlackRequest', () => {
  it('accepts the official Slack example with the clock frozen near its timestamp', () => {
    expect(VECTOR.source).toContain('Verifying requests from Slack');
    expect(verifySlackRequest(request())).toEqual({ ok: true });
    expect(sign(VECTOR.signingSecret, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('rejects the same example with the real clock (it is years old)', () => {
    expect(codeOf(request({ nowMs: Date.now() }))).toBe('timestamp_out_of_window');
  });

  it('accepts exactly ±300 s and rejects ±301 s, stale and future alike', () => {
    expect(codeOf(request({ nowMs: TS * 1000 + 300_000 }))).toBe('ok');
    expect(codeOf(request({ nowMs: TS * 1000 - 300_000 }))).toBe('ok');
    expect(codeOf(request({ nowMs: TS * 1000 + 301_000 }))).toBe('timestamp_out_of_window');
    expect(codeOf(request({ nowMs: TS * 1000 - 301_000 }))).toBe('timestamp_out_of_window');
    expect(codeOf(request({ nowMs: TS * 1000 + 300_001 }))).toBe('timestamp_out_of_window');
    expect(codeOf(request({ nowMs: TS * 1000 - 300_001 }))).toBe('timestamp_out_of_window');
    const stale = verifySlackRequest(request({ nowMs: TS * 1000 + 301_000 }));
    const future = verifySlackRequest(request({ nowMs: TS * 1000 - 301_000 }));
    expect(!stale.ok && stale.message).toContain('in the past');
    expect(!future.ok && future.message).toContain('in the future');
  });

  it('honours a custom tolerance', () => {
    expect(codeOf(request({ nowMs: TS * 1000 + 60_000, toleranceSeconds: 60 }))).toBe('ok');
    expect(codeOf(request({ nowMs: TS * 1000 - 61_000, toleranceSeconds: 60 }))).toBe('timestamp_out_of_window');
    expect(codeOf(request({ nowMs: TS * 1000, toleranceSeconds: 0 }))).toBe('ok');
    expect(codeOf(request({ nowMs: TS * 1000 + 1, toleranceSeconds: 0 }))).toBe('timestamp_out_of_window');
  });

  it('rejects a wrong secret', () => {
    expect(codeOf(request({ signingSecret: `${VECTOR.signingSecret}x` }))).toBe('signature_mismatch');
    expect(codeOf(request({ signingSecret: VECTOR.signingSecret.toUpperCase() }))).toBe('signature_mismatch');
  });

  it('checks the raw bytes: a re-serialised or re-encoded body is rejected', () => {
    const raw = '{"type":"event_callback","event":{"type":"app_mention","text":"hi"}}';
    const signature = sign(VECTOR.signingSecret, VECTOR.timestamp, raw);
    expect(codeOf(request({ rawBody: Buffer.from(raw), signatureHeader: signature }))).toBe('ok');
    for (const other of [JSON.stringify(JSON.parse(raw), null, 2), JSON.stringify(JSON.parse(raw), null, 1), `${raw}\n`, ` ${raw}`]) {
      expect(codeOf(request({ rawBody: Buffer.from(other), signatureHeader: signature }))).toBe('signature_mismatch');
    }
    // Bytes that are not UTF-8 are signed as bytes; decoding them first would change them.
    const binary = Buffer.from([0x7b, 0xff, 0xfe, 0x80, 0x7d]);
    expect(codeOf(request({ rawBody: binary, signatureHeader: sign(VECTOR.signingSecret, VECTOR.timestamp, binary) }))).toBe('ok');
    const decoded = Buffer.from(binary.toString('utf8'), 'utf8');
    expect(codeOf(request({ rawBody: binary, signatureHeader: sign(VECTOR.signingSecret, VECTOR.timestamp, decoded) }))).toBe('signature_mismatch');
  });

  it('accepts an empty body signed correctly, and only that', () => {
    const empty = Buffer.alloc(0);
    expect(codeOf(request({ rawBody: empty, signatureHeader: sign(VECTOR.signingSecret, VECTOR.timestamp, empty) }))).toBe('ok');
    expect(codeOf(request({ rawBody: empty }))).toBe('signature_mismatch');
  });

  it('rejects missing headers', () => {
    for (const missing of [undefined, '']) {
      expect(codeOf(request({ timestampHeader: missing }))).toBe('timestamp_missing');
      expect(codeOf(request({ signatureHeader: missing }))).toBe('signature_missing');
    }
    expect(codeOf(request({ timestampHeader: null as unknown as undefined }))).toBe('timestamp_missing');
  });

  it('rejects duplicated (array) headers, even when every copy is right', () => {
    for (const copies of [[VECTOR.timestamp], [VECTOR.timestamp, VECTOR.timestamp], []]) expect(codeOf(request({ timestampHeader: copies }))).toBe('timestamp_malformed');
    for (const copies of [[VECTOR.signature], [VECTOR.signature, VECTOR.signature], []]) expect(codeOf(request({ signatureHeader: copies }))).toBe('signature_malformed');
    const result = verifySlackRequest(request({ signatureHeader: [VECTOR.signature, VECTOR.signature] }));
    expect(!result.ok && result.message).toContain('more than once');
  });

  it('accepts only a timestamp made of 1 to 12 digits', () => {
    const bad = ['+1531420618', '-1531420618', '1531420618.0', '1531420618.', ' 1531420618', '1531420618 ', '1531420618\n', '1 531420618', '1e9', '0x5b47a6ca', '1234567890123', '１５３１４２０６１８', 'NaN', 'Infinity', '-0'];
    for (const timestampHeader of bad) expect(codeOf(request({ timestampHeader })), timestampHeader).toBe('timestamp_malformed');
    // Twelve digits is well-formed (and far outside the window); a leading zero is well-formed too, and signed as sent.
    expect(codeOf(request({ timestampHeader: '999999999999' }))).toBe('timestamp_out_of_window');
    const padded = `0${VECTOR.timestamp}`;
    expect(codeOf(request({ timestampHeader: padded, signatureHeader: sign(VECTOR.signingSecret, padded, VECTOR.body) }))).toBe('ok');
    expect(codeOf(request({ timestampHeader: padded }))).toBe('signature_mismatch');
  });

  it('accepts only "v0=" and exactly 64 hex digits, in either case', () => {
    const hex = VECTOR.signature.slice(3);
    expect(codeOf(request({ signatureHeader: `v0=${hex.toUpperCase()}` }))).toBe('ok');
    expect(codeOf(request({ signatureHeader: `v0=${hex.slice(0, 32)}${hex.slice(32).toUpperCase()}` }))).toBe('ok');
    const bad = [hex, `v1=${hex}`, `V0=${hex}`, `v0:${hex}`, `v0=${hex.slice(0, 63)}`, `v0=${hex}0`, `v0=${hex.slice(0, 62)}`, `v0=${hex.slice(0, 63)}g`, `v0=${hex.slice(0, 63)}z`, `v0= ${hex}`, `v0=${hex} `, `v0=${hex}\n`, ` v0=${hex}`, `v0=${hex},v0=${hex}`, `v0=${Buffer.from(hex, 'hex').toString('base64')}`, 'v0='];
    for (const signatureHeader of bad) expect(codeOf(request({ signatureHeader })), signatureHeader).toBe('signature_malformed');
  });

  it('fails closed on an empty secret, even when the signature was made with it', () => {
    const signatureHeader = sign('', VECTOR.timestamp, VECTOR.body);
    expect(codeOf(request({ signingSecret: '', signatureHeader }))).toBe('secret_missing');
    expect(codeOf(request({ signingSecret: undefined as unknown as string }))).toBe('secret_missing');
  });

  it('refuses a clock, tolerance or body that would weaken the check', () => {
    for (const nowMs of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) expect(codeOf(request({ nowMs }))).toBe('options_invalid');
    for (const toleranceSeconds of [Number.NaN, Number.POSITIVE_INFINITY, -1]) expect(codeOf(request({ toleranceSeconds }))).toBe('options_invalid');
    expect(codeOf(request({ rawBody: VECTOR.body as unknown as Buffer }))).toBe('options_invalid');
    expect(codeOf(null as unknown as SlackRequestInput)).toBe('options_invalid');
  });

  it('never puts the secret or a signature in a message', () => {
    const wrongSecret = 'a-different-signing-secret-123456';
    const expectedHex = VECTOR.signature.slice(3);
    const forged = sign(wrongSecret, VECTOR.timestamp, VECTOR.body);
    const inputs = [
      request({ signatureHeader: forged }),
      request({ signingSecret: wrongSecret }),
      request({ signatureHeader: `${VECTOR.signature}0` }),
      request({ signatureHeader: [VECTOR.signature, forged] }),
      request({ signatureHeader: `v1=${expectedHex}` }),
      request({ nowMs: Date.now() }),
      request({ timestampHeader: 'x' }),
      request({ signingSecret: '' }),
    ];
    for (const input of inputs) {
      const result = verifySlackRequest(input);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      for (const secretish of [VECTOR.signingSecret, wrongSecret, expectedHex, forged.slice(3), expectedHex.toUpperCase(), expectedHex.slice(0, 16), forged.slice(3, 19)]) {
        expect(result.message).not.toContain(secretish);
      }
    }
  });

  describe('properties', () => {
    const secret = fc.string({ unit: 'binary', minLength: 1, maxLength: 64 });
    const body = fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes));
    const timestamp = fc.integer({ min: 1, max: 99_999_999_999 });
    const skewMs = fc.integer({ min: -300_000, max: 300_000 });

    it('a correct signature verifies, whatever the secret, body and clock skew inside the window', () => {
      fc.assert(
        fc.property(secret, body, timestamp, skewMs, (s, b, ts, skew) => {
          const t = String(ts);
          expect(verifySlackRequest({ signingSecret: s, rawBody: b, timestampHeader: t, signatureHeader: sign(s, t, b), nowMs: ts * 1000 + skew })).toEqual({ ok: true });
        }),
        { numRuns: 300 },
      );
    });

    it('flipping any single bit of the body is rejected', () => {
      fc.assert(
        fc.property(secret, body.filter((b) => b.length > 0), timestamp, fc.nat(), (s, b, ts, bit) => {
          const t = String(ts);
          const signatureHeader = sign(s, t, b);
          const flipped = Buffer.from(b);
          const at = bit % (b.length * 8);
          flipped[at >> 3]! ^= 1 << (at & 7);
          expect(codeOf({ signingSecret: s, rawBody: flipped, timestampHeader: t, signatureHeader, nowMs: ts * 1000 })).toBe('signature_mismatch');
        }),
        { numRuns: 300 },
      );
    });

    it('flipping any single bit of the timestamp is rejected: malformed, out of window, or a mismatch', () => {
      fc.assert(
        fc.property(secret, body, timestamp, fc.nat(), fc.integer({ min: 0, max: 15 }), (s, b, ts, index, bit) => {
          const t = String(ts);
          const at = index % t.length;
          const flipped = t.slice(0, at) + String.fromCharCode(t.charCodeAt(at) ^ (1 << bit)) + t.slice(at + 1);
          const code = codeOf({ signingSecret: s, rawBody: b, timestampHeader: flipped, signatureHeader: sign(s, t, b), nowMs: ts * 1000 });
          if (!/^[0-9]{1,12}$/.test(flipped)) expect(code).toBe('timestamp_malformed');
          else if (Math.abs(Number(flipped) - ts) > 300) expect(code).toBe('timestamp_out_of_window');
          else expect(code).toBe('signature_mismatch');
        }),
        { numRuns: 500 },
      );
    });

    it('flipping any single bit of the signature is rejected (a change of letter case is the same signature)', () => {
      fc.assert(
        fc.property(secret, body, timestamp, fc.nat(), fc.integer({ min: 0, max: 15 }), (s, b, ts, index, bit) => {
          const t = String(ts);
          const good = sign(s, t, b);
          const at = index % good.length;
          const flipped = good.slice(0, at) + String.fromCharCode(good.charCodeAt(at) ^ (1 << bit)) + good.slice(at + 1);
          const code = codeOf({ signingSecret: s, rawBody: b, timestampHeader: t, signatureHeader: flipped, nowMs: ts * 1000 });
          if (at >= 3 && flipped.toLowerCase() === good) expect(code).toBe('ok');
          else if (!/^v0=[0-9a-fA-F]{64}$/.test(flipped)) expect(code).toBe('signature_malformed');
          else expect(code).toBe('signature_mismatch');
        }),
        { numRuns: 500 },
      );
    });

    it('flipping any single bit of the signed value is a mismatch', () => {
      fc.assert(
        fc.property(secret, body, timestamp, fc.integer({ min: 0, max: 255 }), (s, b, ts, bit) => {
          const t = String(ts);
          const bytes = Buffer.from(sign(s, t, b).slice(3), 'hex');
          bytes[bit >> 3]! ^= 1 << (bit & 7);
          expect(codeOf({ signingSecret: s, rawBody: b, timestampHeader: t, signatureHeader: `v0=${bytes.toString('hex')}`, nowMs: ts * 1000 })).toBe('signature_mismatch');
        }),
        { numRuns: 300 },
      );
    });

    it('never throws, whatever the headers, secret, body and clock', () => {
      const header = fc.oneof(fc.constant(undefined), fc.string({ unit: 'binary', maxLength: 80 }), fc.array(fc.string({ maxLength: 80 }), { maxLength: 3 }), fc.anything());
      const anyBody = fc.oneof(body, fc.anything());
      const clock = fc.oneof(fc.double(), fc.integer(), fc.constant(NOW), fc.anything());
      fc.assert(
        fc.property(fc.oneof(secret, fc.anything()), anyBody, header, header, clock, fc.option(fc.oneof(fc.double(), fc.anything()), { nil: undefined }), (s, b, t, sig, nowMs, tolerance) => {
          const input = { signingSecret: s, rawBody: b, timestampHeader: t, signatureHeader: sig, nowMs, toleranceSeconds: tolerance } as unknown as SlackRequestInput;
          expectWellFormed(verifySlackRequest(input));
        }),
        { numRuns: 1000 },
      );
    });

    it('never echoes the secret or the received signature, whatever is wrong', () => {
      const longSecret = fc.string({ unit: fc.constantFrom(...'0123456789abcdefQWXZ'.split('')), minLength: 20, maxLength: 40 });
      fc.assert(
        fc.property(longSecret, body, timestamp, fc.integer({ min: -600_000, max: 600_000 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (s, b, ts, skew, forged) => {
          const t = String(ts);
          const received = Buffer.from(forged).toString('hex');
          const expected = sign(s, t, b).slice(3);
          const result = verifySlackRequest({ signingSecret: s, rawBody: b, timestampHeader: t, signatureHeader: `v0=${received}`, nowMs: ts * 1000 + skew });
          if (result.ok) return;
          for (const hidden of [s, received, expected]) expect(result.message).not.toContain(hidden);
        }),
      );
    });
  });
});
