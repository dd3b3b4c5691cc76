import { createHash, timingSafeEqual } from 'node:crypto';

/** Why a Lark request was refused; stable, safe to log and to count in metrics. */
export type LarkVerificationCode =
  | 'secret_missing'
  | 'options_invalid'
  | 'timestamp_missing'
  | 'timestamp_malformed'
  | 'nonce_missing'
  | 'nonce_malformed'
  | 'signature_missing'
  | 'signature_malformed'
  | 'timestamp_out_of_window'
  | 'signature_mismatch';

/**
 * The verdict on one request. A refusal carries a stable `code` and a message for operators; the
 * message never contains the encrypt key, the received signature or the expected one.
 */
export type LarkVerification = { ok: true } | { ok: false; code: LarkVerificationCode; message: string };

/** One inbound request as the HTTP layer saw it, before any parsing or decryption. */
export interface LarkRequestInput {
  /** `LARK_ENCRYPT_KEY`; an empty key rejects every request. */
  encryptKey: string;
  /** The body exactly as received: the signature covers these bytes, not a re-serialisation. */
  rawBody: Buffer;
  /** `X-Lark-Request-Timestamp` (Unix seconds); an array means the header was sent twice. */
  timestampHeader: string | string[] | undefined;
  /** `X-Lark-Request-Nonce`: 1 to 128 printable ASCII characters without spaces. */
  nonceHeader: string | string[] | undefined;
  /** `X-Lark-Signature`: 64 hex digits. */
  signatureHeader: string | string[] | undefined;
  /** The current time in milliseconds (`Date.now()`), injected so tests can freeze the clock. */
  nowMs: number;
  /** Largest accepted distance between `nowMs` and the timestamp, either way; default 300. */
  toleranceSeconds?: number;
}

const DEFAULT_TOLERANCE_SECONDS = 300;
const TIMESTAMP = /^[0-9]{1,12}$/;
const NONCE = /^[\x21-\x7e]{1,128}$/;
const SIGNATURE = /^[0-9a-fA-F]{64}$/;
const TIMESTAMP_HEADER = 'X-Lark-Request-Timestamp';
const NONCE_HEADER = 'X-Lark-Request-Nonce';
const SIGNATURE_HEADER = 'X-Lark-Signature';

type Header = { value: string } | { ok: false; code: LarkVerificationCode; message: string };

function reject(code: LarkVerificationCode, message: string): { ok: false; code: LarkVerificationCode; message: string } {
  return { ok: false, code, message };
}

/** The header's single value if it matches `shape`, or the refusal; never echoes the value itself. */
function read(header: unknown, name: string, kind: 'timestamp' | 'nonce' | 'signature', shape: RegExp, rule: string): Header {
  if (header === undefined || header === null || header === '') return reject(`${kind}_missing`, `header ${name} is missing`);
  if (Array.isArray(header)) return reject(`${kind}_malformed`, `header ${name} was sent more than once`);
  if (typeof header !== 'string' || !shape.test(header)) return reject(`${kind}_malformed`, `header ${name} must be ${rule}`);
  return { value: header };
}

/**
 * Checks Lark's `X-Lark-Signature` over the exact raw body, with a symmetric replay window, in
 * constant time. Pure and total: it returns a verdict for any input and never throws.
 * See https://open.feishu.cn/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/event-subscription-configure-/encrypt-key-encryption-configuration-case
 */
export function verifyLarkRequest(input: LarkRequestInput): LarkVerification {
  if (typeof input !== 'object' || input === null) return reject('options_invalid', 'the verifier was called without an input object');
  const { encryptKey, rawBody, nowMs } = input;
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  // Fail closed: with an empty key the signature is a plain hash anyone can compute.
  if (typeof encryptKey !== 'string' || encryptKey.length === 0) {
    return reject('secret_missing', 'the Lark encrypt key is empty; every request is refused');
  }
  // A NaN clock or tolerance would make the window comparison false, i.e. accept any timestamp.
  if (!Buffer.isBuffer(rawBody) || !Number.isFinite(nowMs) || !Number.isFinite(tolerance) || tolerance < 0) {
    return reject('options_invalid', 'the verifier was called without a raw body buffer, a finite clock or a non-negative tolerance');
  }

  const timestamp = read(input.timestampHeader, TIMESTAMP_HEADER, 'timestamp', TIMESTAMP, 'Unix seconds: 1 to 12 digits, no sign, point or space');
  if (!('value' in timestamp)) return timestamp;
  const nonce = read(input.nonceHeader, NONCE_HEADER, 'nonce', NONCE, '1 to 128 printable ASCII characters without spaces');
  if (!('value' in nonce)) return nonce;
  const signature = read(input.signatureHeader, SIGNATURE_HEADER, 'signature', SIGNATURE, '64 hex digits');
  if (!('value' in signature)) return signature;

  // Lark does not bound the timestamp itself; the window is ours, symmetric so that a captured
  // request cannot be replayed later nor pre-signed for the future.
  const skewSeconds = (nowMs - Number(timestamp.value) * 1000) / 1000;
  if (Math.abs(skewSeconds) > tolerance) {
    const direction = skewSeconds > 0 ? 'in the past' : 'in the future';
    return reject('timestamp_out_of_window', `request timestamp is ${Math.ceil(Math.abs(skewSeconds))} s ${direction}; at most ${tolerance} s is accepted either way`);
  }

  // Lark/Feishu "Event subscription: encryption and signature": sha256 over the UTF-8 bytes of
  // timestamp + nonce + encrypt key, followed by the raw body bytes, hex-encoded.
  const expected = createHash('sha256').update(`${timestamp.value}${nonce.value}${encryptKey}`, 'utf8').update(rawBody).digest();
  const received = Buffer.from(signature.value, 'hex');
  // The regex already fixes the length; timingSafeEqual throws when lengths differ, so check anyway.
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    return reject('signature_mismatch', `header ${SIGNATURE_HEADER} does not match the request body, timestamp and nonce`);
  }
  return { ok: true };
}
