import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLarkVerificationToken } from '../../../src/chat/lark/check-lark-verification-token.js';
import { warmUpBinaryStrings, WARM_UP_TIMEOUT_MS } from '../../support/warm-up-binary-strings.js';

const TOKEN = 'qT3f9KxLw2ZbV7nR1mYc8dHs';

beforeAll(warmUpBinaryStrings, WARM_UP_TIMEOUT_MS);

describe('checkLarkVerificationToken', () => {
  it('accepts the exact token', () => {
    expect(checkLarkVerificationToken(TOKEN, TOKEN)).toBe(true);
    expect(checkLarkVerificationToken('é中🙂', 'é中🙂')).toBe(true);
  });

  it('rejects another token, a prefix, an extension or a change of case or spacing', () => {
    for (const received of ['', TOKEN.slice(0, -1), `${TOKEN}x`, `x${TOKEN}`, TOKEN.toLowerCase(), TOKEN.toUpperCase(), ` ${TOKEN}`, `${TOKEN}\n`, `${TOKEN}\u0000`]) {
      expect(checkLarkVerificationToken(TOKEN, received), JSON.stringify(received)).toBe(false);
    }
  });

  it('rejects anything that is not a string, even one that prints as the token', () => {
    const lookalikes: unknown[] = [undefined, null, 42, true, [TOKEN], { toString: () => TOKEN }, new String(TOKEN), Buffer.from(TOKEN)];
    for (const received of lookalikes) expect(checkLarkVerificationToken(TOKEN, received)).toBe(false);
  });

  it('fails closed on an empty expected token', () => {
    for (const received of ['', ' ', undefined, null, TOKEN]) expect(checkLarkVerificationToken('', received)).toBe(false);
    expect(checkLarkVerificationToken(undefined as unknown as string, undefined)).toBe(false);
  });

  describe('properties', () => {
    it('is exactly string equality with a non-empty expected token', () => {
      const text = fc.string({ unit: 'binary', maxLength: 64 });
      fc.assert(
        fc.property(text, text, (expected, received) => {
          expect(checkLarkVerificationToken(expected, received)).toBe(expected.length > 0 && expected === received);
        }),
        { numRuns: 1000 },
      );
      fc.assert(fc.property(text.filter((t) => t.length > 0), (t) => checkLarkVerificationToken(t, t)));
    });

    it('never throws and always answers a boolean', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.anything()), fc.anything(), (expected, received) => {
          expect(typeof checkLarkVerificationToken(expected as string, received)).toBe('boolean');
        }),
        { numRuns: 1000 },
      );
    });
  });
});
