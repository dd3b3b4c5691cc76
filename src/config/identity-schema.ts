import { z } from 'zod';

/**
 * The patterns (regular expression sources, unanchored) the identities and names are built from:
 * a chat identity, a terminal identity, and a name in `access` (a person, a group, a rotation).
 */
export const IDENTITY_PATTERNS = {
  chat: 'slack:[UW][A-Z0-9]{2,32}|lark:ou_[A-Za-z0-9_-]{1,64}',
  terminal: 'console:[a-z][a-z0-9_-]{0,31}',
  name: '[a-z0-9_-]{1,64}',
} as const;

/** A chat identity: `slack:<user id>` or `lark:<open_id>`. */
export const CHAT_IDENTITY = new RegExp(`^(${IDENTITY_PATTERNS.chat})$`);

/** A person at the terminal Warden runs in (see the console adapter): `console:<name>`. */
export const TERMINAL_IDENTITY = new RegExp(`^${IDENTITY_PATTERNS.terminal}$`);

/** A chat identity, or a name (of a person, a group or a rotation, checked against the config where it is used). */
export const CHAT_IDENTITY_OR_NAME = new RegExp(`^(${IDENTITY_PATTERNS.chat}|${IDENTITY_PATTERNS.name})$`);

/**
 * A web console identity, as an authenticating proxy forwards it: `email:<address>` (from
 * `X-Forwarded-Email`, compared in lowercase) or `sso:<user>` (from `X-Forwarded-User`).
 */
export const CONSOLE_IDENTITY = /^(email:[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,253}|sso:[A-Za-z0-9._@+-]{1,128})$/;

/**
 * `slack:<user id>` or `lark:<open_id>` (chat), `console:<name>` (the terminal), `email:<address>`
 * or `sso:<user>` (the web console behind an authenticating proxy): authorization always uses
 * these, never display names.
 */
export const identitySchema = z.string().refine((value) => CHAT_IDENTITY.test(value) || TERMINAL_IDENTITY.test(value) || CONSOLE_IDENTITY.test(value), {
  message:
    'must be "slack:<user id>" (e.g. slack:U0OPS1), "lark:<open_id>" (e.g. lark:ou_0ops1), "console:<name>" (e.g. console:responder), "email:<address>" (e.g. email:alice@example.com, lowercase) or "sso:<user>" (e.g. sso:alice)',
});

/** True for `slack:…` and `lark:…` identities: the ones a chat platform can mention or message. */
export function isChatIdentity(identity: string): boolean {
  return CHAT_IDENTITY.test(identity);
}
