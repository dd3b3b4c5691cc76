import { z } from 'zod';
import { phaseNames, type Phase } from '../config/action-schema.js';

/** Playbook ids (= file names without `.yaml`), step ids and action ids: lowercase letters, digits and dashes. */
export const PLAYBOOK_ID_PATTERN = /^[a-z0-9-]{1,64}$/;
export const STEP_ID_PATTERN = /^[a-z0-9-]{1,64}$/;

const id = (what: string, example: string) =>
  z.string().regex(PLAYBOOK_ID_PATTERN, { message: `${what} must be 1–64 lowercase letters, digits and dashes, e.g. "${example}"` });

/** One step: manual (ticked on the card) unless `action` binds it to a configured action. */
export const playbookStepSchema = z.strictObject({
  id: id('a step id', 'stop-service'),
  title: z
    .string()
    .trim()
    .min(1, { message: 'is empty; say what to do in a few words' })
    .max(120, { message: 'must be at most 120 characters; move the detail into guidance' }),
  guidance: z
    .string()
    .trim()
    .min(1, { message: 'is empty; remove it or say how to do the step' })
    .max(500, { message: 'must be at most 500 characters; link a runbook for the rest' })
    .optional(),
  /** Id of an action in the configuration's `actions`; its button appears with the step's phase. */
  action: id('an action id', 'block-egress').optional(),
});

const phaseSteps = z
  .array(playbookStepSchema)
  .min(1, { message: 'has no steps; add a step or remove the phase' })
  .max(30, { message: 'has more than 30 steps; split the work into fewer, larger steps' });

/** A playbook file (`checklists/playbooks/<id>.yaml`): steps per response phase. Unknown keys are rejected. */
export const playbookSchema = z
  .strictObject({
    id: id('the playbook id', 'abnormal-access'),
    title: z.string().trim().min(1, { message: 'is empty; name the kind of incident' }).max(120, { message: 'must be at most 120 characters' }),
    description: z.string().trim().max(1000, { message: 'must be at most 1000 characters' }).optional(),
    /** Documentation only: the alert labels this playbook is meant for, e.g. `{ alertname: [SuspiciousProcess] }`. */
    matches: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be an alert label name such as alertname' }),
        z.array(z.string().min(1)).min(1, { message: 'lists no values; add one or remove the label' }),
      )
      .optional(),
    phases: z
      .strictObject({ isolate: phaseSteps.optional(), analyze: phaseSteps.optional(), recover: phaseSteps.optional(), optimize: phaseSteps.optional() })
      .refine((phases) => phaseNames.some((phase) => phases[phase] !== undefined), {
        message: 'has no phase; add steps under isolate, analyze, recover or optimize',
      }),
  });

/**
 * Steps whose id an earlier step (in any phase) already uses, as problems. The loader checks them on
 * the raw tree, so duplicates are reported even when other parts of the file fail the schema.
 */
export function findDuplicateStepIds(phases: unknown): { path: (string | number)[]; message: string }[] {
  const seen = new Map<string, string>();
  const found: { path: (string | number)[]; message: string }[] = [];
  if (typeof phases !== 'object' || phases === null) return found;
  for (const phase of phaseNames) {
    const steps = (phases as Record<string, unknown>)[phase];
    if (!Array.isArray(steps)) continue;
    steps.forEach((step: unknown, i) => {
      const id = typeof step === 'object' && step !== null ? (step as { id?: unknown }).id : undefined;
      if (typeof id !== 'string') return;
      const first = seen.get(id);
      if (first !== undefined) {
        found.push({ path: ['phases', phase, i, 'id'], message: `duplicate step id "${id}" (also ${first}); step ids must be unique within the playbook, so rename one` });
      } else seen.set(id, `phases.${phase}[${i}]`);
    });
  }
  return found;
}

/** A validated playbook. */
export type Playbook = z.output<typeof playbookSchema>;
export type PlaybookStep = z.output<typeof playbookStepSchema>;

/** Where a step is in its playbook. */
export interface LocatedPlaybookStep {
  phase: Phase;
  step: PlaybookStep;
}

/** The step with id `stepId` and its phase, or undefined when the playbook has no such step. */
export function findPlaybookStep(playbook: Playbook, stepId: string): LocatedPlaybookStep | undefined {
  for (const phase of phaseNames) {
    const step = playbook.phases[phase]?.find((s) => s.id === stepId);
    if (step) return { phase, step };
  }
  return undefined;
}
