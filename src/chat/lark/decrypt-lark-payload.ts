import { createDecipheriv, createHash } from 'node:crypto';

/** Why an `encrypt` field could not be opened; stable, safe to log and to count in metrics. */
export type LarkDecryptCode = 'secret_missing' | 'encrypt_malformed' | 'ciphertext_malformed' | 'decrypt_failed' | 'plaintext_invalid';

/**
 * The plaintext of an encrypted Lark body, or why there is none. A refusal's message never contains
 * the encrypt key, the ciphertext or any part of the decrypted bytes.
 */
export type LarkDecryption = { ok: true; plaintext: string } | { ok: false; code: LarkDecryptCode; message: string };

const IV_BYTES = 16;
const BLOCK_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function reject(code: LarkDecryptCode, message: string): LarkDecryption {
  return { ok: false, code, message };
}

/**
 * Opens the `encrypt` field of a Lark event or callback body (AES-256-CBC, key sha256(encrypt key),
 * IV in the first 16 bytes). Pure and total: it returns a result for any input and never throws.
 * See https://open.feishu.cn/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/event-subscription-configure-/encrypt-key-encryption-configuration-case
 */
export function decryptLarkPayload(encryptKey: string, encrypt: string): LarkDecryption {
  if (typeof encryptKey !== 'string' || encryptKey.length === 0) {
    return reject('secret_missing', 'the Lark encrypt key is empty; encrypted bodies cannot be opened');
  }
  // Node's base64 decoder silently skips characters it does not know; accept only the canonical
  // standard alphabet so that two different strings never decode to the same bytes.
  if (typeof encrypt !== 'string' || encrypt.length % 4 !== 0 || !BASE64.test(encrypt)) {
    return reject('encrypt_malformed', 'the encrypt field is not standard padded base64');
  }
  const raw = Buffer.from(encrypt, 'base64');
  if (raw.toString('base64') !== encrypt) return reject('encrypt_malformed', 'the encrypt field is not canonical base64');
  const ciphertextBytes = raw.length - IV_BYTES;
  if (ciphertextBytes < BLOCK_BYTES || ciphertextBytes % BLOCK_BYTES !== 0) {
    return reject('ciphertext_malformed', 'the encrypt field must hold a 16-byte IV and a non-empty whole number of 16-byte blocks');
  }

  // Lark/Feishu "Event subscription: encryption and signature": key = sha256(encrypt key),
  // iv = first 16 bytes of the decoded field, AES-256-CBC with PKCS#7 padding over the rest.
  const key = createHash('sha256').update(encryptKey, 'utf8').digest();
  let bytes: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, raw.subarray(0, IV_BYTES));
    bytes = Buffer.concat([decipher.update(raw.subarray(IV_BYTES)), decipher.final()]);
  } catch {
    // Bad padding is what a wrong key or a tampered body looks like; the cause says nothing more.
    return reject('decrypt_failed', 'the encrypt field did not decrypt with the configured encrypt key (wrong key or corrupted body)');
  }
  try {
    // A wrong key passes the padding check about once in 256 tries; strict UTF-8 catches most of those.
    return { ok: true, plaintext: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return reject('plaintext_invalid', 'the decrypted body is not valid UTF-8 (wrong key or corrupted body)');
  }
}
