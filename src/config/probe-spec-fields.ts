import { isIP } from 'node:net';
import { z } from 'zod';
import { isAnchoredPattern } from './is-anchored-pattern.js';
import { parseByteSize } from './parse-byte-size.js';

/** Redis `maxmemory-policy` values. */
export const REDIS_EVICTION_POLICIES = [
  'noeviction',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
] as const;

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;
const ACCOUNT = /^(\d{1,10}|[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?)$/;
const AUDIT_TYPE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/** Why a probe's fields may not hold `{{ }}` templates. */
export const NO_TEMPLATES_MESSAGE = 'must not use {{ }} templates: probes outside an incident’s actions run without an incident; write the value itself';

/** A string written as is: built-in probes run without an incident, so a `{{ }}` template has nothing to fill it. */
function literal(what: string, example: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `required: ${what}, e.g. ${example}` : `must be ${what} as a string, e.g. ${example}`) })
    .min(1, { message: `is empty; give ${what}, e.g. ${example}` })
    .refine((value) => !value.includes('{{') && !value.includes('}}'), { message: NO_TEMPLATES_MESSAGE, abort: true });
}

function positive(what: string, example: string, max: number) {
  return z
    .number({ error: (issue) => (issue.input === undefined ? `required: ${what}, e.g. ${example}` : `must be a number (${what}), e.g. ${example}`) })
    .positive({ message: `must be above 0 (${what}), e.g. ${example}` })
    .max(max, { message: `must be at most ${max} (${what})` });
}

function wholeNumber(what: string, example: string, min: number, max: number) {
  return z
    .number({ error: `must be a whole number (${what}), e.g. ${example}` })
    .int({ message: `must be a whole number (${what}), e.g. ${example}` })
    .min(min, { message: `must be at least ${min} (${what})` })
    .max(max, { message: `must be at most ${max} (${what})` });
}

const path = literal('the path of a file or directory (relative paths start from Warden’s working directory)', '"./data"');

function account(what: 'user' | 'group', example: string) {
  const message = `must be a ${what} name or a numeric id, e.g. ${example} or 0`;
  return z.union([z.string().regex(ACCOUNT, { message }), z.number().int({ message }).min(0, { message })], { error: message });
}

const host = literal('a host name or IP address', '"api.example.org"').refine((value) => isIP(value) !== 0 || HOST_NAME.test(value), {
  message: 'must be a bare host name or IP address, without scheme, port or path, e.g. "api.example.org" (the port goes in port)',
});

const octalMode = z
  .string({ error: 'must be an octal mode in quotes, e.g. "640" (unquoted, YAML reads it as a decimal number)' })
  .regex(/^0?[0-7]{3,4}$/, { message: 'must be an octal mode of 3 or 4 digits 0–7 in quotes, e.g. "640" or "0600"' });

const fileNamePattern = z
  .string({ error: 'must be a regular expression on file names as a string, e.g. "^backup-.*\\.tar\\.gz$"' })
  .refine(isAnchoredPattern, { message: 'must be a valid regular expression on file names anchored with ^ and $, e.g. "^backup-.*\\.tar\\.gz$"' });

const byteSize = z
  .union([z.number().int().min(0), z.string()], { error: 'must be a size in bytes or with a unit, e.g. 1048576 or "10 GiB"' })
  .transform((value, ctx) => {
    const bytes = typeof value === 'number' ? value : parseByteSize(value);
    if (bytes === undefined) ctx.addIssue({ code: 'custom', message: 'must be a size in bytes or with a unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), e.g. "10 GiB"' });
    return bytes ?? 0;
  });

/**
 * The parameters of each built-in probe kind (those without a configured action of their own).
 * Shared by the inline checklist `check:` ({@link probeSpecSchema}) and by configured actions
 * (`actionSchema`), which add their common fields. Each kind also takes `timeoutSeconds`.
 */
export const probeSpecFields = {
  'tls-expiry': {
    host,
    port: wholeNumber('a TCP port', '443', 1, 65535).default(443),
    /** SNI and the name the certificate must match; default `host` unless it is an IP address. */
    servername: literal('the TLS server name (SNI)', '"api.example.org"')
      .refine((value) => isIP(value) === 0 && HOST_NAME.test(value), { message: 'must be a host name, not an IP address, e.g. "api.example.org"' })
      .optional(),
    minDays: wholeNumber('days the certificate must still be valid', '21', 0, 3650).default(21),
  },
  'disk-usage': {
    path,
    /** Fails when the file system holding `path` is fuller than this (percent, like `df`). */
    maxPercent: positive('percent of the file system in use', '85', 100).optional(),
    /** Fails when the files under `path` (or the file itself) add up to more than this. */
    maxBytes: byteSize.optional(),
  },
  'file-mode': {
    path,
    /** Permission bits the file may have at most, in octal: "640" fails a world-readable file. */
    maxMode: octalMode,
    owner: account('user', '"warden"').optional(),
    group: account('group', '"warden"').optional(),
  },
  'newest-file-age': {
    path,
    maxAgeHours: positive('hours since the newest file was modified', '26', 24 * 3660),
    /** Only file names matching this (anchored) count; directories only, not recursive. */
    pattern: fileNamePattern.optional(),
  },
  'process-user': {
    forbidRoot: z.boolean({ error: 'must be true or false' }).default(true),
    /** The user Warden must run as (name or uid). */
    user: account('user', '"warden"').optional(),
  },
  'audit-count': {
    types: z
      .array(z.string().regex(AUDIT_TYPE, { message: 'must be an audit entry type, e.g. "access.denied"' }), {
        error: 'must be a list of audit entry types, e.g. ["inbound.rejected", "access.denied"]',
      })
      .min(1, { message: 'lists no type; add one, e.g. "access.denied"' }),
    windowHours: positive('hours to look back', '24', 24 * 366).default(24),
    max: wholeNumber('entries allowed in the window', '0', 0, 1_000_000_000).default(0),
  },
  'redis-config': {
    persistence: z.enum(['aof', 'rdb', 'any', 'none-ok'], { error: 'must be aof, rdb, any (AOF or RDB) or none-ok' }).default('any'),
    maxmemoryPolicy: z.enum(REDIS_EVICTION_POLICIES, { error: `must be a Redis maxmemory-policy: ${REDIS_EVICTION_POLICIES.join(', ')}` }).default('noeviction'),
    /** Fails when Redis answers clients that send no password. */
    requireAuth: z.boolean({ error: 'must be true or false' }).default(false),
  },
  'self-audit': {},
};

/** The kinds of {@link probeSpecFields}. */
export type BuiltinProbeKind = keyof typeof probeSpecFields;

/** The built-in probe kinds, in the order the schemas list them. */
export const BUILTIN_PROBE_KINDS = Object.keys(probeSpecFields) as BuiltinProbeKind[];

/** True for the kinds of {@link probeSpecFields}. */
export function isBuiltinProbeKind(kind: string): kind is BuiltinProbeKind {
  return Object.hasOwn(probeSpecFields, kind);
}

/** Rules across fields of a built-in probe, for the schemas' `superRefine`. */
export function refineProbeSpec(spec: { kind: string; maxPercent?: unknown; maxBytes?: unknown }, ctx: z.RefinementCtx): void {
  if (spec.kind === 'disk-usage' && spec.maxPercent === undefined && spec.maxBytes === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['maxPercent'],
      message: 'a disk-usage check needs maxPercent (file system usage, e.g. 85), maxBytes (size of the files under path, e.g. "10 GiB"), or both',
    });
  }
}
