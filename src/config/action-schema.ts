import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { findTemplateInputs, TEMPLATE_INPUT_PATTERN, TEMPLATE_REFERENCE } from './template-inputs.js';
import type { ResponseSummaryRule } from '../shared/extract-response-summary.js';
import { hasTemplatedHost } from './has-templated-host.js';
import { describeHostRuleProblem } from '../shared/is-host-allowed.js';
import { isAnchoredPattern } from './is-anchored-pattern.js';
import { BUILTIN_PROBE_KINDS, isBuiltinProbeKind, probeSpecFields, refineProbeSpec, type BuiltinProbeKind } from './probe-spec-fields.js';

export const phaseNames = ['isolate', 'analyze', 'recover', 'optimize'] as const;

const patternSchema = z.string().refine(isAnchoredPattern, { message: 'must be a valid regular expression anchored with ^ and $ (e.g. "^[a-z0-9][a-z0-9-]{0,63}$")' });

const common = {
  phase: z.enum(phaseNames),
  title: z.string().min(1).max(75),
  destructive: z.boolean().default(false),
  /** Template input → anchored pattern; every `{{ input }}` an action uses must be listed here. */
  params: z.record(z.string().regex(TEMPLATE_INPUT_PATTERN, { message: 'must be labels.<name> or incident.<field>' }), patternSchema).default({}),
  timeoutSeconds: z.number().positive().max(600).default(10),
};

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' });
const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

/** One `allowHosts` entry: a name, `*.domain`, an IP address or a CIDR network, optionally with `:port`. */
const hostRule = z.string().superRefine((entry, ctx) => {
  const problem = describeHostRuleProblem(entry);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * The hosts (or networks) an action's URL may reach. Required when a template chooses the host;
 * when set, every rendered URL's host must match it.
 */
const allowHosts = z.array(hostRule).min(1, { message: 'list at least one host or network, or remove allowHosts' }).optional();

/** What of a response body a card may show: one JSON field (`json: error.message`) or a regex's first group (`match`). */
const summaryRule = z
  .strictObject({
    json: z.string().regex(/^[^.\s]+(\.[^.\s]+)*$/, { message: 'must be a dotted field path such as "error.message" or "items.0.state"' }).optional(),
    match: z
      .string()
      .min(1)
      .refine(isValidRegex, { message: 'must be a valid regular expression; its first capture group is shown (e.g. "reason: (.*)")' })
      .optional(),
  })
  .refine((rule) => (rule.json === undefined) !== (rule.match === undefined), { message: 'give either json (a field path) or match (a regular expression), not both' })
  .transform((rule): ResponseSummaryRule => (rule.json !== undefined ? { json: rule.json } : { match: rule.match! }));

const httpAction = z.strictObject({
  kind: z.literal('http'),
  ...common,
  allowHosts,
  summary: summaryRule.optional(),
  request: z.strictObject({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
    url: z.string().min(1),
    headers: z.record(z.string(), z.string()).default({}),
    body: jsonValue.optional(),
  }),
});

/**
 * The longest `timeoutSeconds` of an exec action. While its program runs, the job holds its lock
 * until the program's deadline (plus 3 s), so that a job whose worker died is never retried while
 * the program may still run; the timeout therefore delays that retry, and this bounds it.
 */
export const MAX_EXEC_TIMEOUT_SECONDS = 300;

const execAction = z.strictObject({
  kind: z.literal('exec'),
  ...common,
  timeoutSeconds: z
    .number()
    .positive()
    .max(MAX_EXEC_TIMEOUT_SECONDS, {
      error: (issue) =>
        `${String(issue.input)} s does not fit inside the lock an exec job holds while its program runs (at most ${MAX_EXEC_TIMEOUT_SECONDS} s, so that a job whose worker died is retried within about 5 minutes); lower timeoutSeconds to ${MAX_EXEC_TIMEOUT_SECONDS} or less, or let the program start longer work in the background and return`,
    })
    .default(10),
  argv: z
    .array(z.string())
    .min(1)
    .refine((argv) => argv[0] !== undefined && isAbsolute(argv[0]) && !argv[0].includes('{{'), {
      message: 'argv[0] must be an absolute program path without templates (e.g. "/usr/local/bin/queuectl")',
    }),
});

/** Exported for `probeSpecSchema`, whose inline checks take the same fields without the common ones. */
export const prometheusAction = z.strictObject({
  kind: z.literal('prometheus'),
  ...common,
  url: httpUrl,
  query: z.string().min(1),
  /** Optional: the result fails when any sample is above this value. */
  threshold: z.number().optional(),
});

/** Exported for `probeSpecSchema`, whose inline checks take the same fields without the common ones. */
export const httpCheckAction = z.strictObject({
  kind: z.literal('http-check'),
  ...common,
  url: z.string().min(1),
  allowHosts,
  summary: summaryRule.optional(),
  method: z.enum(['GET', 'HEAD']).default('GET'),
  expectStatus: z.array(z.number().int().min(100).max(599)).optional(),
});

/** A BullMQ queue name a `queue` action may pause or resume (after templating). */
export const QUEUE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A BullMQ key prefix: `bull` (BullMQ's default) or hash-tagged like `{tasks}` for Redis Cluster. */
const QUEUE_PREFIX_PATTERN = /^[A-Za-z0-9_.:{}-]{1,64}$/;

/** A queue name, or a template whose fixed parts are queue-name characters ("tasks-{{ labels.tenant }}"). */
function isQueueNameOrTemplate(value: string): boolean {
  if (QUEUE_NAME_PATTERN.test(value)) return true;
  const fixed = value.replace(TEMPLATE_REFERENCE, '');
  return fixed !== value && /^[A-Za-z0-9_-]*$/.test(fixed);
}

/** Built-in: pause or resume a named BullMQ queue ("stop the suspicious task queue"). */
const queueAction = z.strictObject({
  kind: z.literal('queue'),
  ...common,
  queue: z.string().refine(isQueueNameOrTemplate, {
    message: 'must be a BullMQ queue name (letters, digits, _ and -, at most 64 characters) or a template such as "{{ labels.queue }}"',
  }),
  operation: z.enum(['pause', 'resume'], { error: 'operation must be pause or resume' }),
  /** Another Redis holding the queue (write `${QUEUE_REDIS_URL}`); absent: Warden's own Redis. */
  redis: z.string().regex(/^rediss?:\/\/[^\s]+$/, { message: 'must be a redis:// or rediss:// URL (e.g. "${QUEUE_REDIS_URL}")' }).optional(),
  /** BullMQ key prefix of that queue. */
  prefix: z
    .string()
    .refine((value) => QUEUE_PREFIX_PATTERN.test(value) && !value.includes('{{'), {
      message: 'must be a BullMQ prefix without templates: letters, digits and _ . : { } -, at most 64 characters (e.g. "bull")',
    })
    .default('bull'),
});

/** A built-in probe as a configured action: the common fields plus the probe's own (see `probeSpecFields`). */
function builtinProbeAction<K extends BuiltinProbeKind>(kind: K) {
  return z.strictObject({
    kind: z.literal(kind),
    ...common,
    // Probes only read: a second person approving one would protect nothing.
    destructive: z.literal(false, { error: `a ${kind} action only reads; remove destructive: true` }).default(false),
    ...probeSpecFields[kind],
  });
}

/** Inputs Warden generates itself (as in `renderTemplate`); every other input needs a pattern. */
const TRUSTED_INPUTS = new Set(['incident.key']);

/** One configured action, validated; every template input it uses but `incident.key` must have a pattern in `params`. */
export const actionSchema = z
  .discriminatedUnion(
    'kind',
    [
      httpAction,
      execAction,
      prometheusAction,
      httpCheckAction,
      queueAction,
      builtinProbeAction('tls-expiry'),
      builtinProbeAction('disk-usage'),
      builtinProbeAction('file-mode'),
      builtinProbeAction('newest-file-age'),
      builtinProbeAction('process-user'),
      builtinProbeAction('audit-count'),
      builtinProbeAction('redis-config'),
      builtinProbeAction('self-audit'),
    ],
    { error: `kind must be one of http, exec, prometheus, http-check, queue, ${BUILTIN_PROBE_KINDS.join(', ')}` },
  )
  .superRefine((action, ctx) => {
    if (isBuiltinProbeKind(action.kind)) {
      // Their fields refuse templates themselves; params would have nothing to check.
      if (Object.keys(action.params).length > 0) ctx.addIssue({ code: 'custom', path: ['params'], message: `a ${action.kind} action uses no templates; remove params` });
      refineProbeSpec(action, ctx);
      return;
    }
    if (action.kind === 'http' || action.kind === 'http-check') {
      const [url, path] = action.kind === 'http' ? [action.request.url, ['request', 'url']] : [action.url, ['url']];
      if (hasTemplatedHost(url) && action.allowHosts === undefined) {
        ctx.addIssue({
          code: 'custom',
          path,
          message:
            'a template chooses the host of this URL, so an alert could point the action anywhere; list the hosts or networks it may reach in allowHosts (e.g. allowHosts: ["*.prod.example.com", "10.0.0.0/8"]), or keep templates in the path and query',
        });
      }
    }
    for (const input of findTemplateInputs(action)) {
      if (!TEMPLATE_INPUT_PATTERN.test(input)) {
        ctx.addIssue({
          code: 'custom',
          path: ['params'],
          message: `the template uses {{ ${input} }}, which is not an input; templates may use labels.<name>, incident.key, incident.severity or incident.title`,
        });
      } else if (!TRUSTED_INPUTS.has(input) && !Object.hasOwn(action.params, input)) {
        ctx.addIssue({
          code: 'custom',
          path: ['params'],
          message: `the template uses {{ ${input} }} but params has no pattern for it (every input except incident.key needs one); add params: { ${input}: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,252}$' } (or tighter)`,
        });
      }
    }
  });

function isValidRegex(pattern: string): boolean {
  try {
    new RegExp(pattern, 'm');
    return true;
  } catch {
    return false;
  }
}

export type ActionConfig = z.output<typeof actionSchema>;
export type Phase = (typeof phaseNames)[number];
