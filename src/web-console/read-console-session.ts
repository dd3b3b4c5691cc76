import { CHAT_IDENTITY } from '../config/identity-schema.js';
import { readCookie, readSignedValue, SESSION_COOKIE, signValue } from './console-session.js';
import type { SignInMethod } from './list-sign-in-methods.js';

/** A signed-in browser: who, and through which sign-in. */
export interface ConsoleSession {
  identity: string;
  method: SignInMethod['id'];
}

/**
 * The session cookie's value: `<method>.<signed payload>`, the method naming the key that signed it
 * (each sign-in has its own `sessionKey`). The payload repeats the method, so a value cannot be
 * moved to another method's prefix even when both share a key.
 */
export function formatSessionValue(method: SignInMethod, identity: string, expiresAt: number): string {
  return `${method.id}.${signValue(method.sessionKey, { id: identity, m: method.id, exp: expiresAt })}`;
}

/**
 * The session of a request's `Cookie` header: signed by the key of the method it names, not
 * expired, for an identity of that method's platform (`slack:U…` for Slack, `lark:ou_…` for
 * Lark); otherwise none.
 */
export function readConsoleSession(methods: readonly SignInMethod[], cookieHeader: string | undefined, now: number): ConsoleSession | undefined {
  const value = readCookie(cookieHeader, SESSION_COOKIE);
  if (value === undefined) return undefined;
  const dot = value.indexOf('.');
  const method = methods.find((candidate) => candidate.id === value.slice(0, dot));
  if (dot < 0 || method === undefined) return undefined;
  const payload = readSignedValue<{ id?: unknown; m?: unknown; exp: number }>(method.sessionKey, value.slice(dot + 1), now);
  if (payload === undefined || payload.m !== method.id || typeof payload.id !== 'string') return undefined;
  if (!payload.id.startsWith(`${method.id}:`) || !CHAT_IDENTITY.test(payload.id)) return undefined;
  return { identity: payload.id, method: method.id };
}
