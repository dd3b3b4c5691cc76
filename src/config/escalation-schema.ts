import { z } from 'zod';
import { CHAT_IDENTITY_OR_NAME } from './identity-schema.js';

const nameSchema = z.string().regex(/^[a-z0-9_-]{1,64}$/, { message: 'policy names are lowercase letters, digits, "_" or "-", e.g. default' });

/** Whom a step notifies: a rotation (whoever is on call then), a group, a person, or an identity. */
const targetSchema = z.string().regex(CHAT_IDENTITY_OR_NAME, {
  message: 'must name an on-call rotation, a group or a person (e.g. primary, leads, alice) or be an identity (slack:U0ALICE, lark:ou_0alice)',
});

/**
 * One step: once the incident has gone `afterMinutes` (from when it opened) without an
 * acknowledgement, notify `notify` — mentioned in the incident's channels, by direct message and, on
 * Lark, by an urgent (buzz) notification of the card — then again every `repeat.everyMinutes`, at
 * most `repeat.times` more times, until the next step takes over.
 */
export const escalationStepSchema = z.strictObject({
  afterMinutes: z.number().int().min(0).max(7 * 24 * 60),
  notify: z.array(targetSchema).min(1, { message: 'needs at least one target, e.g. [primary]' }),
  repeat: z.strictObject({ everyMinutes: z.number().int().min(1).max(24 * 60), times: z.number().int().min(1).max(50) }).optional(),
  /** On Lark, also buzz the card message (`urgent_app`); default true. */
  buzz: z.boolean().default(true),
});

export const escalationPolicySchema = z.strictObject({
  steps: z
    .array(escalationStepSchema)
    .min(1, { message: 'needs at least one step, e.g. [{ afterMinutes: 5, notify: [primary] }]' })
    .superRefine((steps, ctx) => {
      for (let i = 1; i < steps.length; i++) {
        if (steps[i]!.afterMinutes <= steps[i - 1]!.afterMinutes) {
          ctx.addIssue({ code: 'custom', path: [i, 'afterMinutes'], message: `must be later than the step before it (${steps[i - 1]!.afterMinutes}); steps run in order` });
        }
      }
    }),
});

/**
 * `escalation`: policies, and which one an incident follows — its route's `escalation`, else
 * `bySeverity[severity]`, else `default` (none: the incident is not escalated).
 */
export const escalationSchema = z.strictObject({
  policies: z.record(nameSchema, escalationPolicySchema).default({}),
  bySeverity: z.record(z.string().min(1), nameSchema).default({}),
  default: nameSchema.optional(),
});

export type EscalationConfig = z.output<typeof escalationSchema>;
export type EscalationPolicy = z.output<typeof escalationPolicySchema>;
export type EscalationStep = z.output<typeof escalationStepSchema>;
