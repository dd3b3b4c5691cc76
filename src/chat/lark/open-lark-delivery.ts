import { WardenError } from '../../errors/warden-error.js';
import { decryptLarkPayload } from './decrypt-lark-payload.js';

type Body = Record<string, unknown>;

/**
 * The event body (schema 2.0) of one long-connection delivery, or null when it is something else
 * (schema 1.0, no object). When the app has an Encrypt Key, Lark encrypts these deliveries as it
 * encrypts HTTP ones (`{ encrypt }`, "Event subscription: encrypt/signature"): they are opened
 * with `encryptKey`, and one that does not open is refused with a WardenError `unauthorized`.
 */
export function openLarkDelivery(data: unknown, encryptKey: string | undefined): Body | null {
  let body = asObject(data);
  if (body !== null && 'encrypt' in body) {
    const opened = decryptLarkPayload(encryptKey ?? '', String(body.encrypt));
    if (!opened.ok) {
      throw new WardenError('unauthorized', `an encrypted Lark delivery could not be opened: ${opened.message}; set LARK_ENCRYPT_KEY to the app's Encrypt Key`);
    }
    body = asObject(parseJson(opened.plaintext));
  }
  return body !== null && body.schema === '2.0' ? body : null;
}

function asObject(value: unknown): Body | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body) : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
