import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptLarkPayload, type LarkDecryption } from '../../../src/chat/lark/decrypt-lark-payload.js';
import { warmUpBinaryStrings, WARM_UP_TIMEOUT_MS } from '../../support/warm-up-binary-strings.js';

interface LarkDecryptVector {
  source: string;
  encryptKey: string;
  encrypt: string;
  plaintext: string;
}
const VECTOR = (JSON.parse(readFileSync(new URL('../../fixtures/vectors.json', import.meta.url), 'utf8')) as { lark_decrypt: LarkDecryptVector }).lark_decrypt;

/** What Lark would put in `encrypt`: base64(iv ‖ AES-256-CBC(sha256(key), iv, plaintext)), padding optional. */
function encrypt(key: string, plaintext: Buffer | string, options: { iv?: Buffer; pad?: boolean } = {}): string {
  const iv = options.iv ?? randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(key, 'utf8').digest(), iv);
  cipher.setAutoPadding(options.pad ?? true);
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final()]).toString('base64');
}

function codeOf(result: LarkDecryption): string {
  return result.ok ? 'ok' : result.code;
}

beforeAll(warmUpBinaryStrings, WARM_UP_TIMEOUT_MS);

describe('decryptLarkPayload', () => {
  it('opens the Feishu documentation example', () => {
    expect(VECTOR.source).toMatch(/Feishu/);
    expect(decryptLarkPayload(VECTOR.encryptKey, VECTOR.encrypt)).toEqual({ ok: true, plaintext: VECTOR.plaintext });
    expect(VECTOR.plaintext).toBe('hello world');
  });

  it('opens what the documented algorithm produces, including an empty and a multi-block plaintext', () => {
    for (const text of ['', '{"challenge":"ajls384kdjx98XX","token":"xxxxxx","type":"url_verification"}', 'é中文🙂'.repeat(20), 'x'.repeat(16)]) {
      expect(decryptLarkPayload('s3cret', encrypt('s3cret', text))).toEqual({ ok: true, plaintext: text });
    }
  });

  it('fails closed on an empty key', () => {
    expect(codeOf(decryptLarkPayload('', encrypt('', 'hello')))).toBe('secret_missing');
    expect(codeOf(decryptLarkPayload(undefined as unknown as string, VECTOR.encrypt))).toBe('secret_missing');
  });

  it('rejects anything that is not standard, padded, canonical base64', () => {
    const good = VECTOR.encrypt;
    expect(good.endsWith('hk=')).toBe(true);
    const bad = [
      'not base64!',
      good.replace(/=+$/, ''),
      good.replace(/\+/g, '-').replace(/\//g, '_'),
      `${good.slice(0, 8)}\n${good.slice(8)}`,
      ` ${good}`,
      `${good}=`,
      `${good}====`,
      `${good.slice(0, 8)}=${good.slice(9)}`,
      // Same bytes, but the unused low bits of the last character are not zero.
      good.replace(/hk=$/, 'hl='),
    ];
    for (const value of bad) expect(codeOf(decryptLarkPayload(VECTOR.encryptKey, value)), value).toBe('encrypt_malformed');
    for (const value of [undefined, null, 42, ['x'], { encrypt: good }]) {
      expect(codeOf(decryptLarkPayload(VECTOR.encryptKey, value as unknown as string))).toBe('encrypt_malformed');
    }
  });

  it('rejects a body too short or not made of whole blocks', () => {
    for (const length of [0, 1, 15, 16, 17, 31, 33, 47]) {
      expect(codeOf(decryptLarkPayload(VECTOR.encryptKey, randomBytes(length).toString('base64'))), String(length)).toBe('ciphertext_malformed');
    }
    expect(codeOf(decryptLarkPayload(VECTOR.encryptKey, ''))).toBe('ciphertext_malformed');
  });

  it('reports bad padding as decrypt_failed rather than throwing', () => {
    // One block whose last byte is 0x00: never valid PKCS#7.
    const block = Buffer.alloc(16, 0x41);
    block[15] = 0;
    expect(codeOf(decryptLarkPayload('k', encrypt('k', block, { pad: false })))).toBe('decrypt_failed');
    // A last byte larger than the block size is not valid either.
    block[15] = 17;
    expect(codeOf(decryptLarkPayload('k', encrypt('k', block, { pad: false })))).toBe('decrypt_failed');
  });

  it('rejects the wrong key without throwing', () => {
    for (const key of ['wrong key', 'test key ', 'Test key', 'test']) {
      const result = decryptLarkPayload(key, VECTOR.encrypt);
      expect(result.ok).toBe(false);
      expect(['decrypt_failed', 'plaintext_invalid']).toContain(codeOf(result));
    }
  });

  it('rejects a plaintext that is not UTF-8', () => {
    for (const bytes of [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0x61, 0x80]]) {
      expect(codeOf(decryptLarkPayload('k', encrypt('k', Buffer.from(bytes))))).toBe('plaintext_invalid');
    }
  });

  it('never puts the key or the plaintext in a message', () => {
    const key = 'a-very-secret-encrypt-key';
    const sealed = encrypt(key, 'top secret plaintext');
    const failures = [
      decryptLarkPayload(`${key}!`, sealed),
      decryptLarkPayload(key, `${sealed}!`),
      decryptLarkPayload(key, sealed.slice(0, 24)),
      decryptLarkPayload(key, encrypt(key, Buffer.from([0xff]))),
      decryptLarkPayload('', sealed),
    ];
    for (const result of failures) {
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      for (const hidden of [key, sealed, sealed.slice(0, 16), 'top secret']) expect(result.message).not.toContain(hidden);
    }
  });

  describe('properties', () => {
    it('opens whatever the documented algorithm sealed', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 64 }), fc.string({ unit: 'grapheme', maxLength: 300 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), (key, text, iv) => {
          expect(decryptLarkPayload(key, encrypt(key, text, { iv: Buffer.from(iv) }))).toEqual({ ok: true, plaintext: text });
        }),
        { numRuns: 300 },
      );
    });

    it('never throws, whatever the key and the field', () => {
      const base64ish = fc.string({ unit: fc.constantFrom(...'ABCDEFabcdef0123456789+/=-_ \n'.split('')), maxLength: 120 });
      const blocks = fc.uint8Array({ maxLength: 96 }).map((bytes) => Buffer.from(bytes).toString('base64'));
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.anything()), fc.oneof(base64ish, blocks, fc.string({ unit: 'binary' }), fc.anything()), (key, field) => {
          const result = decryptLarkPayload(key as string, field as string);
          expect(typeof result.ok).toBe('boolean');
          if (result.ok) expect(typeof result.plaintext).toBe('string');
          else expect(result.message.length).toBeGreaterThan(10);
        }),
        { numRuns: 1000 },
      );
    });

    it('a wrong key never yields the original plaintext', () => {
      fc.assert(
        fc.property(fc.string({ minLength: 1, maxLength: 32 }), fc.string({ minLength: 1, maxLength: 32 }), fc.string({ minLength: 1, maxLength: 100 }), (key, other, text) => {
          fc.pre(key !== other);
          const result = decryptLarkPayload(other, encrypt(key, text));
          expect(result.ok && result.plaintext === text).toBe(false);
        }),
        { numRuns: 200 },
      );
    });
  });
});
