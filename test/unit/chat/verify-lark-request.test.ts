import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyLarkRequest, type LarkRequestInput, type LarkVerification } from '../../../src/chat/lark/verify-lark-request.js';
import { warmUpBinaryStrings, WARM_UP_TIMEOUT_MS } from '../../support/warm-up-binary-strings.js';

interface LarkSignatureVector {
  algorithm: string;
  timestamp: string;
  nonce: string;
  encryptKey: string;
  body: string;
  signature: string;
}
const VECTOR = (JSON.parse(readFileSync(new URL('../../fixtures/vectors.json', import.meta.url), 'utf8')) as { lark_signature: LarkSignatureVector })
  .lark_signature;
const TS = Number(VECTOR.timestamp);
const NOW = TS * 1000 + 2_500;

/** The `X-Lark-Signature` Lark would send, computed independently of the code under test. */
function sign(key: string, timestamp: string, nonce: string, body: Buffer | string): string {
  return createHash('sha256').update(Buffer.concat([Buffer.from(timestamp + nonce + key, 'utf8'), Buffer.from(body)])).digest('hex');
}

/** The signature vector, with `overrides` applied. */
function request(overrides: Partial<LarkRequestInput> = {}): LarkRequestInput {
  return {
    encryptKey: VECTOR.encryptKey,
    rawBody: Buffer.from(VECTOR.body),
    timestampHeader: VECTOR.timestamp,
    nonceHeader: VECTOR.nonce,
    signatureHeader: VECTOR.signature,
    nowMs: NOW,
    ...overrides,
  };
}

function codeOf(input: LarkRequestInput): string {
  const result = verifyLarkRequest(input);
  return result.ok ? 'ok' : result.code;
}

function expectWellFormed(result: LarkVerification): void {
  expect(typeof result.ok).toBe('boolean');
  if (!result.ok) {
    expect(result.code).toMatch(/^[a-z_]+$/);
    expect(result.message.length).toBeGreaterThan(10);
  }
}

beforeAll(warmUpBinaryStrings, WARM_UP_TIMEOUT_MS);

describe('verifyLarkRequest', () => {
  it('accepts the signature vector with the clock frozen near its timestamp', () => {
    expect(sign(VECTOR.encryptKey, VECTOR.timestamp, VECTOR.nonce, VECTOR.body)).toBe(VECTOR.signature);
    expect(verifyLarkRequest(request())).toEqual({ ok: true });
  });

  it('accepts exactly ±300 s and rejects ±301 s, stale and future alike', () => {
    expect(codeOf(request({ nowMs: TS * 1000 + 300_000 }))).toBe('ok');
    expect(codeOf(request({ nowMs: TS * 1000 - 300_000 }))).toBe('ok');
    expect(codeOf(request({ nowMs: TS * 1000 + 301_000 }))).toBe('timestamp_out_of_window');
    expect(codeOf(request({ nowMs: TS * 1000 - 301_000 }))).toBe('timestamp_out_of_window');
    expect(codeOf(request({ nowMs: TS * 1000 + 300_001 }))).toBe('timestamp_out_of_window');
    expect(codeOf(request({ nowMs: Date.now() }))).toBe('timestamp_out_of_window');
    expect(codeOf(request({ nowMs: TS * 1000 + 30_000, toleranceSeconds: 29 }))).toBe('timestamp_out_of_window');
  });

  it('rejects a wrong key, nonce or timestamp', () => {
    expect(codeOf(request({ encryptKey: 'test key ' }))).toBe('signature_mismatch');
    expect(codeOf(request({ nonceHeader: 'nonce-124' }))).toBe('signature_mismatch');
    expect(codeOf(request({ timestampHeader: String(TS + 1) }))).toBe('signature_mismatch');
  });

  it('checks the raw bytes: a re-serialised body is rejected', () => {
    for (const other of [JSON.stringify(JSON.parse(VECTOR.body), null, 2), `${VECTOR.body}\n`, VECTOR.body.replace('":"', '": "')]) {
      expect(codeOf(request({ rawBody: Buffer.from(other) }))).toBe('signature_mismatch');
    }
    const binary = Buffer.from([0xff, 0x00, 0xc3]);
    expect(codeOf(request({ rawBody: binary, signatureHeader: sign(VECTOR.encryptKey, VECTOR.timestamp, VECTOR.nonce, binary) }))).toBe('ok');
  });

  it('accepts an empty body signed correctly', () => {
    const empty = Buffer.alloc(0);
    expect(codeOf(request({ rawBody: empty, signatureHeader: sign(VECTOR.encryptKey, VECTOR.timestamp, VECTOR.nonce, empty) }))).toBe('ok');
    expect(codeOf(request({ rawBody: empty }))).toBe('signature_mismatch');
  });

  it('keeps the window even though the hashed string has no separators', () => {
    // "1700000000" + "nonce-123" and "170000000" + "0nonce-123" hash the same; the window is what refuses the second.
    expect(codeOf(request({ timestampHeader: VECTOR.timestamp.slice(0, -1), nonceHeader: `0${VECTOR.nonce}` }))).toBe('timestamp_out_of_window');
  });

  it('rejects missing and duplicated headers', () => {
    for (const missing of [undefined, '']) {
      expect(codeOf(request({ timestampHeader: missing }))).toBe('timestamp_missing');
      expect(codeOf(request({ nonceHeader: missing }))).toBe('nonce_missing');
      expect(codeOf(request({ signatureHeader: missing }))).toBe('signature_missing');
    }
    expect(codeOf(request({ timestampHeader: [VECTOR.timestamp, VECTOR.timestamp] }))).toBe('timestamp_malformed');
    expect(codeOf(request({ nonceHeader: [VECTOR.nonce] }))).toBe('nonce_malformed');
    expect(codeOf(request({ signatureHeader: [VECTOR.signature, VECTOR.signature] }))).toBe('signature_malformed');
  });

  it('accepts only a timestamp made of 1 to 12 digits', () => {
    for (const timestampHeader of ['+1700000000', '-1700000000', '1700000000.5', ' 1700000000', '1700000000\t', '1e9', '1234567890123', '１７００００００００']) {
      expect(codeOf(request({ timestampHeader })), timestampHeader).toBe('timestamp_malformed');
    }
  });

  it('accepts only a nonce of 1 to 128 printable ASCII characters without spaces', () => {
    const longest = 'n'.repeat(128);
    expect(codeOf(request({ nonceHeader: longest, signatureHeader: sign(VECTOR.encryptKey, VECTOR.timestamp, longest, VECTOR.body) }))).toBe('ok');
    const symbols = '!#$%&()*+,-./:;<=>?@[]^_`{|}~"\'\\';
    expect(codeOf(request({ nonceHeader: symbols, signatureHeader: sign(VECTOR.encryptKey, VECTOR.timestamp, symbols, VECTOR.body) }))).toBe('ok');
    for (const nonceHeader of ['n'.repeat(129), 'nonce 123', ' nonce-123', 'nonce-123\n', 'nonce\t123', 'nonce-é', 'nonce-\u0000', 'nonce-\u007f']) {
      expect(codeOf(request({ nonceHeader })), JSON.stringify(nonceHeader)).toBe('nonce_malformed');
    }
  });

  it('accepts only exactly 64 hex digits, in either case', () => {
    expect(codeOf(request({ signatureHeader: VECTOR.signature.toUpperCase() }))).toBe('ok');
    const hex = VECTOR.signature;
    for (const signatureHeader of [`v0=${hex}`, `sha256=${hex}`, hex.slice(0, 63), `${hex}0`, `${hex.slice(0, 63)}g`, ` ${hex}`, `${hex}\n`, Buffer.from(hex, 'hex').toString('base64')]) {
      expect(codeOf(request({ signatureHeader })), signatureHeader).toBe('signature_malformed');
    }
  });

  it('fails closed on an empty encrypt key, even when the signature was made with it', () => {
    expect(codeOf(request({ encryptKey: '', signatureHeader: sign('', VECTOR.timestamp, VECTOR.nonce, VECTOR.body) }))).toBe('secret_missing');
    expect(codeOf(request({ encryptKey: undefined as unknown as string }))).toBe('secret_missing');
  });

  it('refuses a clock, tolerance or body that would weaken the check', () => {
    for (const nowMs of [Number.NaN, Number.POSITIVE_INFINITY]) expect(codeOf(request({ nowMs }))).toBe('options_invalid');
    for (const toleranceSeconds of [Number.NaN, Number.POSITIVE_INFINITY, -300]) expect(codeOf(request({ toleranceSeconds }))).toBe('options_invalid');
    expect(codeOf(request({ rawBody: VECTOR.body as unknown as Buffer }))).toBe('options_invalid');
    expect(codeOf(undefined as unknown as LarkRequestInput)).toBe('options_invalid');
  });

  it('never puts the key or a signature in a message', () => {
    const forged = sign('another encrypt key', VECTOR.timestamp, VECTOR.nonce, VECTOR.body);
    const inputs = [
      request({ signatureHeader: forged }),
      request({ encryptKey: 'another encrypt key' }),
      request({ signatureHeader: `${VECTOR.signature}0` }),
      request({ signatureHeader: [VECTOR.signature] }),
      request({ nowMs: Date.now() }),
      request({ nonceHeader: 'bad nonce' }),
      request({ encryptKey: '' }),
    ];
    for (const input of inputs) {
      const result = verifyLarkRequest(input);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      for (const hidden of [VECTOR.encryptKey, 'another encrypt key', VECTOR.signature, forged, VECTOR.signature.slice(0, 16), forged.slice(0, 16)]) {
        expect(result.message).not.toContain(hidden);
      }
    }
  });

  describe('properties', () => {
    const key = fc.string({ unit: 'binary', minLength: 1, maxLength: 64 });
    const nonce = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~!'.split('')), minLength: 1, maxLength: 128 });
    const body = fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes));
    const timestamp = fc.integer({ min: 1, max: 99_999_999_999 });

    it('a correct signature verifies, whatever the key, nonce, body and clock skew inside the window', () => {
      fc.assert(
        fc.property(key, nonce, body, timestamp, fc.integer({ min: -300_000, max: 300_000 }), (k, n, b, ts, skew) => {
          const t = String(ts);
          const input = { encryptKey: k, rawBody: b, timestampHeader: t, nonceHeader: n, signatureHeader: sign(k, t, n, b), nowMs: ts * 1000 + skew };
          expect(verifyLarkRequest(input)).toEqual({ ok: true });
        }),
        { numRuns: 300 },
      );
    });

    it('flipping any single bit of the body is rejected', () => {
      fc.assert(
        fc.property(key, nonce, body.filter((b) => b.length > 0), timestamp, fc.nat(), (k, n, b, ts, bit) => {
          const t = String(ts);
          const signatureHeader = sign(k, t, n, b);
          const flipped = Buffer.from(b);
          const at = bit % (b.length * 8);
          flipped[at >> 3]! ^= 1 << (at & 7);
          expect(codeOf({ encryptKey: k, rawBody: flipped, timestampHeader: t, nonceHeader: n, signatureHeader, nowMs: ts * 1000 })).toBe('signature_mismatch');
        }),
        { numRuns: 300 },
      );
    });

    it('flipping any single bit of the timestamp is rejected: malformed, out of window, or a mismatch', () => {
      fc.assert(
        fc.property(key, nonce, body, timestamp, fc.nat(), fc.integer({ min: 0, max: 15 }), (k, n, b, ts, index, bit) => {
          const t = String(ts);
          const at = index % t.length;
          const flipped = t.slice(0, at) + String.fromCharCode(t.charCodeAt(at) ^ (1 << bit)) + t.slice(at + 1);
          const code = codeOf({ encryptKey: k, rawBody: b, timestampHeader: flipped, nonceHeader: n, signatureHeader: sign(k, t, n, b), nowMs: ts * 1000 });
          if (!/^[0-9]{1,12}$/.test(flipped)) expect(code).toBe('timestamp_malformed');
          else if (Math.abs(Number(flipped) - ts) > 300) expect(code).toBe('timestamp_out_of_window');
          else expect(code).toBe('signature_mismatch');
        }),
        { numRuns: 500 },
      );
    });

    it('flipping any single bit of the signature is rejected (a change of letter case is the same signature)', () => {
      fc.assert(
        fc.property(key, nonce, body, timestamp, fc.nat(), fc.integer({ min: 0, max: 15 }), (k, n, b, ts, index, bit) => {
          const t = String(ts);
          const good = sign(k, t, n, b);
          const at = index % good.length;
          const flipped = good.slice(0, at) + String.fromCharCode(good.charCodeAt(at) ^ (1 << bit)) + good.slice(at + 1);
          const code = codeOf({ encryptKey: k, rawBody: b, timestampHeader: t, nonceHeader: n, signatureHeader: flipped, nowMs: ts * 1000 });
          if (flipped.toLowerCase() === good) expect(code).toBe('ok');
          else if (!/^[0-9a-fA-F]{64}$/.test(flipped)) expect(code).toBe('signature_malformed');
          else expect(code).toBe('signature_mismatch');
        }),
        { numRuns: 500 },
      );
    });

    it('flipping any single bit of the signed value is a mismatch', () => {
      fc.assert(
        fc.property(key, nonce, body, timestamp, fc.integer({ min: 0, max: 255 }), (k, n, b, ts, bit) => {
          const t = String(ts);
          const bytes = Buffer.from(sign(k, t, n, b), 'hex');
          bytes[bit >> 3]! ^= 1 << (bit & 7);
          expect(codeOf({ encryptKey: k, rawBody: b, timestampHeader: t, nonceHeader: n, signatureHeader: bytes.toString('hex'), nowMs: ts * 1000 })).toBe('signature_mismatch');
        }),
        { numRuns: 300 },
      );
    });

    it('never throws, whatever the headers, key, body and clock', () => {
      const header = fc.oneof(fc.constant(undefined), fc.string({ unit: 'binary', maxLength: 140 }), fc.array(fc.string({ maxLength: 80 }), { maxLength: 3 }), fc.anything());
      fc.assert(
        fc.property(
          fc.oneof(key, fc.anything()),
          fc.oneof(body, fc.anything()),
          header,
          header,
          header,
          fc.oneof(fc.double(), fc.integer(), fc.constant(NOW), fc.anything()),
          fc.option(fc.oneof(fc.double(), fc.anything()), { nil: undefined }),
          (k, b, t, n, sig, nowMs, tolerance) => {
            const input = { encryptKey: k, rawBody: b, timestampHeader: t, nonceHeader: n, signatureHeader: sig, nowMs, toleranceSeconds: tolerance } as unknown as LarkRequestInput;
            expectWellFormed(verifyLarkRequest(input));
          },
        ),
        { numRuns: 1000 },
      );
    });

    it('never echoes the key or the received signature, whatever is wrong', () => {
      const longKey = fc.string({ unit: fc.constantFrom(...'0123456789abcdefQWXZ'.split('')), minLength: 20, maxLength: 40 });
      fc.assert(
        fc.property(longKey, nonce, body, timestamp, fc.integer({ min: -600_000, max: 600_000 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (k, n, b, ts, skew, forged) => {
          const t = String(ts);
          const received = Buffer.from(forged).toString('hex');
          const result = verifyLarkRequest({ encryptKey: k, rawBody: b, timestampHeader: t, nonceHeader: n, signatureHeader: received, nowMs: ts * 1000 + skew });
          if (result.ok) return;
          for (const hidden of [k, received, sign(k, t, n, b)]) expect(result.message).not.toContain(hidden);
        }),
      );
    });
  });
});
