import { createHmac, timingSafeEqual } from 'node:crypto';

/** The console's session cookie (after a Slack or Lark sign-in) and the cookie that carries a sign-in's state and secret (nonce or PKCE verifier). */
export const SESSION_COOKIE = 'warden_console';
export const STATE_COOKIE = 'warden_console_state';

function mac(key: string, text: string): Buffer {
  return createHmac('sha256', key).update(`warden-console:${text}`).digest();
}

/** `<payload>.<mac>`: the payload as base64url JSON, signed with HMAC-SHA256 under `key`. */
export function signValue(key: string, payload: Record<string, unknown>): string {
  const text = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${text}.${mac(key, text).toString('base64url')}`;
}

/** The payload of a value {@link signValue} signed under `key`, or undefined when it is not one (or its `exp`, epoch ms, has passed). */
export function readSignedValue<T extends { exp: number }>(key: string, value: string | undefined, now: number): T | undefined {
  if (value === undefined) return undefined;
  const [text, signature, ...rest] = value.split('.');
  if (!text || !signature || rest.length > 0) return undefined;
  const expected = mac(key, text);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as T;
    return typeof payload.exp === 'number' && payload.exp > now ? payload : undefined;
  } catch {
    return undefined;
  }
}

/** One cookie's value from a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** A `Set-Cookie` value: HttpOnly, Secure, SameSite=Lax (the sign-in comes back from Slack or Lark as a top-level GET); `maxAgeSeconds` 0 deletes it. */
export function formatCookie(name: string, value: string, path: string, maxAgeSeconds: number): string {
  return `${name}=${value}; Path=${path}; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Lax`;
}
