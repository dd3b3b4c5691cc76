import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a Slack request was refused; stable, safe to log and to count in metrics. */
export type SlackVerificationCode =
  | 'secret_missing'
  | 'options_invalid'
  | 'timestamp_missing'
  | 'timestamp_malformed'
  | 'signature_missing'
  | 'signature_malformed'
  | 'timestamp_out_of_window'
  | 'signature_mismatch';

/**
 * The verdict on one request. A refusal carries a stable `code` and a message for operators; the
 * message never contains the signing secret, the received signature or the expected one.
 */
export type SlackVerification = { ok: true } | { ok: false; code: SlackVerificationCode; message: string };

/** One inbound request as the HTTP layer saw it, before any parsing. */
export interface SlackRequestInput {
  /** `SLACK_SIGNING_SECRET`; an empty secret rejects every request. */
  signingSecret: string;
  /** The body exactly as received: the signature covers these bytes, not a re-serialisation. */
  rawBody: Buffer;
  /** `X-Slack-Request-Timestamp` (Unix seconds); an array means the header was sent twice. */
  timestampHeader: string | string[] | undefined;
  /** `X-Slack-Signature`, `v0=` followed by 64 hex digits. */
  signatureHeader: string | string[] | undefined;
  /** The current time in milliseconds (`Date.now()`), injected so tests can freeze the clock. */
  nowMs: number;
  /** Largest accepted distance between `nowMs` and the timestamp, either way; default 300. */
  toleranceSeconds?: number;
}

const DEFAULT_TOLERANCE_SECONDS = 300;
const TIMESTAMP = /^[0-9]{1,12}$/;
const SIGNATURE = /^v0=([0-9a-fA-F]{64})$/;
const TIMESTAMP_HEADER = 'X-Slack-Request-Timestamp';
const SIGNATURE_HEADER = 'X-Slack-Signature';

function reject(code: SlackVerificationCode, message: string): SlackVerification {
  return { ok: false, code, message };
}

/** The header's single value, or why there is none; never echoes the value itself. */
function single(header: unknown, name: string): { value: string } | { missing: boolean; message: string } {
  if (header === undefined || header === null || header === '') return { missing: true, message: `header ${name} is missing` };
  if (Array.isArray(header)) return { missing: false, message: `header ${name} was sent more than once` };
  if (typeof header !== 'string') return { missing: false, message: `header ${name} is not a string` };
  return { value: header };
}

/**
 * Checks Slack's `v0` request signature over the exact raw body, with a symmetric replay window,
 * in constant time. Pure and total: it returns a verdict for any input and never throws.
 * See https://api.slack.com/authentication/verifying-requests-from-slack
 */
export function verifySlackRequest(input: SlackRequestInput): SlackVerification {
  if (typeof input !== 'object' || input === null) return reject('options_invalid', 'the verifier was called without an input object');
  const { signingSecret, rawBody, timestampHeader, signatureHeader, nowMs } = input;
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  // Fail closed: HMAC with an empty key is still a valid HMAC, so anyone could forge one.
  if (typeof signingSecret !== 'string' || signingSecret.length === 0) {
    return reject('secret_missing', 'the Slack signing secret is empty; every request is refused');
  }
  // A NaN clock or tolerance would make the window comparison false, i.e. accept any timestamp.
  if (!Buffer.isBuffer(rawBody) || !Number.isFinite(nowMs) || !Number.isFinite(tolerance) || tolerance < 0) {
    return reject('options_invalid', 'the verifier was called without a raw body buffer, a finite clock or a non-negative tolerance');
  }

  const timestamp = single(timestampHeader, TIMESTAMP_HEADER);
  if (!('value' in timestamp)) return reject(timestamp.missing ? 'timestamp_missing' : 'timestamp_malformed', timestamp.message);
  if (!TIMESTAMP.test(timestamp.value)) {
    return reject('timestamp_malformed', `header ${TIMESTAMP_HEADER} must be Unix seconds: 1 to 12 digits, no sign, point or space`);
  }
  const signature = single(signatureHeader, SIGNATURE_HEADER);
  if (!('value' in signature)) return reject(signature.missing ? 'signature_missing' : 'signature_malformed', signature.message);
  const hex = SIGNATURE.exec(signature.value)?.[1];
  if (hex === undefined) return reject('signature_malformed', `header ${SIGNATURE_HEADER} must be "v0=" followed by 64 hex digits`);

  // Slack: reject requests older than five minutes to stop replays; we also refuse ones from the
  // future, or a captured request signed with a skewed clock would stay replayable for longer.
  const skewSeconds = (nowMs - Number(timestamp.value) * 1000) / 1000;
  if (Math.abs(skewSeconds) > tolerance) {
    const direction = skewSeconds > 0 ? 'in the past' : 'in the future';
    return reject('timestamp_out_of_window', `request timestamp is ${Math.ceil(Math.abs(skewSeconds))} s ${direction}; at most ${tolerance} s is accepted either way`);
  }

  // Slack's "Verifying requests from Slack": base string `v0:<timestamp>:<raw body>`, HMAC-SHA256
  // keyed with the signing secret. The body goes in as bytes so nothing is decoded or re-encoded.
  const expected = createHmac('sha256', signingSecret).update(`v0:${timestamp.value}:`, 'utf8').update(rawBody).digest();
  const received = Buffer.from(hex, 'hex');
  // The regex already fixes the length; timingSafeEqual throws when lengths differ, so check anyway.
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    return reject('signature_mismatch', `header ${SIGNATURE_HEADER} does not match the request body and timestamp`);
  }
  return { ok: true };
}
