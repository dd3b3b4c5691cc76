import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkWebhookAuthorization } from '../../../src/http/check-webhook-authorization.js';
import { warmUpBinaryStrings, WARM_UP_TIMEOUT_MS } from '../../support/warm-up-binary-strings.js';

const TOKEN = 'f3a9c1d27be84c60a5e2d9b17c3f0e4a';
const basic = (credentials: string) => `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;

beforeAll(warmUpBinaryStrings, WARM_UP_TIMEOUT_MS);

describe('checkWebhookAuthorization', () => {
  it('accepts the token as Bearer credentials', () => {
    expect(checkWebhookAuthorization(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
  });

  it('accepts the token as the Basic password, whatever the user name', () => {
    expect(checkWebhookAuthorization(basic(`alertmanager:${TOKEN}`), TOKEN)).toBe(true);
    expect(checkWebhookAuthorization(basic(`:${TOKEN}`), TOKEN)).toBe(true);
  });

  it('accepts the scheme in any case', () => {
    for (const scheme of ['bearer', 'BEARER', 'BeArEr']) expect(checkWebhookAuthorization(`${scheme} ${TOKEN}`, TOKEN)).toBe(true);
    expect(checkWebhookAuthorization(basic(`u:${TOKEN}`).replace('Basic', 'bAsIc'), TOKEN)).toBe(true);
  });

  it('tolerates extra spaces around the credentials, but nothing inside them', () => {
    expect(checkWebhookAuthorization(`Bearer   ${TOKEN}  `, TOKEN)).toBe(true);
    expect(checkWebhookAuthorization(`${basic(`u:${TOKEN}`)} `, TOKEN)).toBe(true);
    expect(checkWebhookAuthorization(`Bearer ${TOKEN.slice(0, 10)} ${TOKEN.slice(10)}`, TOKEN)).toBe(false);
    expect(checkWebhookAuthorization(` Bearer ${TOKEN}`, TOKEN)).toBe(false);
    expect(checkWebhookAuthorization(`Bearer\t${TOKEN}`, TOKEN)).toBe(false);
  });

  it('rejects a missing header, a header without credentials and a wrong scheme', () => {
    for (const header of [undefined, '', 'Bearer', 'Bearer ', TOKEN, `Token ${TOKEN}`, `Digest ${TOKEN}`, `Bearer:${TOKEN}`, `Basic ${TOKEN}`]) {
      expect(checkWebhookAuthorization(header, TOKEN)).toBe(false);
    }
  });

  it('rejects the wrong token, a prefix of it, or the token with more after it', () => {
    for (const presented of [TOKEN.toUpperCase(), TOKEN.slice(0, -1), `${TOKEN}0`, `${TOKEN}${TOKEN}`]) {
      expect(checkWebhookAuthorization(`Bearer ${presented}`, TOKEN)).toBe(false);
      expect(checkWebhookAuthorization(basic(`u:${presented}`), TOKEN)).toBe(false);
    }
  });

  it('rejects the token as the Basic user name or without a colon', () => {
    expect(checkWebhookAuthorization(basic(`${TOKEN}:`), TOKEN)).toBe(false);
    expect(checkWebhookAuthorization(basic(TOKEN), TOKEN)).toBe(false);
    expect(checkWebhookAuthorization(basic(`${TOKEN}:${TOKEN.slice(1)}`), TOKEN)).toBe(false);
  });

  it('rejects Basic credentials that are not canonical base64', () => {
    const encoded = Buffer.from(`u:${TOKEN}`).toString('base64');
    expect(encoded.endsWith('=')).toBe(true);
    const unpadded = encoded.replace(/=+$/, '');
    const urlSafe = Buffer.from(`u:${TOKEN}`).toString('base64url');
    for (const credentials of [`${encoded}!!`, `!${encoded}`, unpadded, `${encoded.slice(0, 8)}*${encoded.slice(8)}`, urlSafe === unpadded ? `${urlSafe}-` : urlSafe]) {
      expect(checkWebhookAuthorization(`Basic ${credentials}`, TOKEN)).toBe(false);
    }
    expect(checkWebhookAuthorization('Basic %%%%', TOKEN)).toBe(false);
  });

  it('rejects everything when the token is empty', () => {
    for (const header of ['Bearer ', 'Bearer  ', basic('u:'), basic(':'), 'Basic ']) expect(checkWebhookAuthorization(header, '')).toBe(false);
    fc.assert(fc.property(fc.option(fc.string({ unit: 'binary' }), { nil: undefined }), (header) => !checkWebhookAuthorization(header, '')));
  });

  describe('properties', () => {
    const token = fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 64 }).filter((t) => t.trim() === t && t.length > 0);
    const user = fc.string({ maxLength: 16 }).filter((u) => !u.includes(':'));

    it('never throws, whatever the header and token', () => {
      fc.assert(
        fc.property(fc.option(fc.string({ unit: 'binary', maxLength: 200 }), { nil: undefined }), fc.string({ unit: 'binary', maxLength: 64 }), (header, t) => {
          expect(typeof checkWebhookAuthorization(header, t)).toBe('boolean');
        }),
      );
    });

    it('accepts exactly the Bearer and Basic forms built from the token', () => {
      // A header built from parts; the expected answer follows from the parts alone.
      const scheme = fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Basic', 'basic', 'Token', 'Digest', 'Bearer:', '');
      const separator = fc.constantFrom(' ', '  ', '\t', '');
      const credentialKind = fc.constantFrom('token', 'other', 'basic-token', 'basic-other', 'basic-unpadded', 'basic-no-colon');
      fc.assert(
        fc.property(token, fc.string({ unit: 'binary-ascii', maxLength: 40 }), user, scheme, separator, credentialKind, fc.constantFrom('', ' '), (t, other, u, s, sep, kind, trailing) => {
          fc.pre(other.trim() !== t);
          const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64');
          const credentials = {
            token: t,
            other,
            'basic-token': encode(`${u}:${t}`),
            'basic-other': encode(`${u}:${other}`),
            'basic-unpadded': encode(`${u}:${t}`).replace(/=+$/, ''),
            'basic-no-colon': encode(`${u}${t}`),
          }[kind];
          const header = `${s}${sep}${credentials}${trailing}`;
          const spaced = sep.startsWith(' ');
          const bearer = s.toLowerCase() === 'bearer' && spaced && kind === 'token';
          const basicAuth = s.toLowerCase() === 'basic' && spaced && (kind === 'basic-token' || (kind === 'basic-unpadded' && credentials === encode(`${u}:${t}`)));
          expect(checkWebhookAuthorization(header, t)).toBe(bearer || basicAuth);
        }),
        { numRuns: 2000 },
      );
    });

    it('rejects any other Bearer credentials', () => {
      fc.assert(
        fc.property(token, fc.string({ unit: 'binary', maxLength: 80 }), (t, presented) => {
          fc.pre(presented.trim() !== t);
          return !checkWebhookAuthorization(`Bearer ${presented}`, t);
        }),
      );
    });

    it('rejects any other Basic password', () => {
      fc.assert(
        fc.property(token, user, fc.string({ unit: 'binary', maxLength: 80 }), (t, u, password) => {
          fc.pre(password !== t);
          return !checkWebhookAuthorization(`Basic ${Buffer.from(`${u}:${password}`).toString('base64')}`, t);
        }),
      );
    });
  });
});
