import { z } from 'zod';
import { httpCheckAction, prometheusAction } from '../config/action-schema.js';
import { BUILTIN_PROBE_KINDS, NO_TEMPLATES_MESSAGE, probeSpecFields, refineProbeSpec, type BuiltinProbeKind } from '../config/probe-spec-fields.js';

// allowHosts too: an inline probe has no templates, so its URL names its host.
const actionOnly = { phase: true, title: true, destructive: true, params: true } as const;
const httpCheckOnly = { ...actionOnly, allowHosts: true } as const;
const timeoutSeconds = httpCheckAction.shape.timeoutSeconds;

/** A strict object whose unknown-key message lists the keys the kind takes. */
function strictSpec<T extends z.core.$ZodLooseShape & { kind: z.ZodLiteral<string> }>(shape: T) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.join(', ')}; ${shape.kind.value} takes ${known}` : undefined),
  });
}

function builtinProbeSpec<K extends BuiltinProbeKind>(kind: K) {
  return strictSpec({ kind: z.literal(kind), ...probeSpecFields[kind], timeoutSeconds });
}

/** The string fields of http-check and prometheus: templates there would have no incident to fill them. */
const TEMPLATED_FIELDS = ['url', 'query'] as const;

/**
 * One probe written inline, e.g. a checklist item's `check: { kind: disk-usage, path: ./data,
 * maxPercent: 85 }`: the ten probe kinds with their parameters (for `http-check` and `prometheus`
 * the fields of their actions without `phase`, `title`, `destructive`, `params` and `allowHosts`), plus
 * `timeoutSeconds` (default 10). Unknown keys and `{{ }}` templates are rejected: inline probes
 * run without an incident.
 */
export const probeSpecSchema = z
  .discriminatedUnion(
    'kind',
    [
      strictSpec(httpCheckAction.omit(httpCheckOnly).shape),
      strictSpec(prometheusAction.omit(actionOnly).shape),
      builtinProbeSpec('tls-expiry'),
      builtinProbeSpec('disk-usage'),
      builtinProbeSpec('file-mode'),
      builtinProbeSpec('newest-file-age'),
      builtinProbeSpec('process-user'),
      builtinProbeSpec('audit-count'),
      builtinProbeSpec('redis-config'),
      builtinProbeSpec('self-audit'),
    ],
    { error: `kind must be one of http-check, prometheus, ${BUILTIN_PROBE_KINDS.join(', ')}` },
  )
  .superRefine((spec, ctx) => {
    for (const field of TEMPLATED_FIELDS) {
      const value: unknown = (spec as Record<string, unknown>)[field];
      if (typeof value === 'string' && value.includes('{{')) {
        ctx.addIssue({ code: 'custom', path: [field], message: NO_TEMPLATES_MESSAGE });
      }
    }
    refineProbeSpec(spec, ctx);
  });

/** A validated inline probe. */
export type ProbeSpec = z.output<typeof probeSpecSchema>;

/** The {@link ProbeSpec} of one kind. */
export type ProbeSpecOf<K extends ProbeSpec['kind']> = Extract<ProbeSpec, { kind: K }>;
