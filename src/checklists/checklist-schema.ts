import { z } from 'zod';
import { probeSpecSchema, type ProbeSpec } from '../probes/probe-spec-schema.js';

/** Checklist ids (= file names without `.yaml`), item ids and action ids: lowercase letters, digits and dashes. */
export const CHECKLIST_ID_PATTERN = /^[a-z0-9-]{1,32}$/;
export const ITEM_ID_PATTERN = /^[a-z0-9-]{1,48}$/;

/** The checklists every deployment has; more may be added as `checklists/<id>.yaml`. */
export const REQUIRED_CHECKLISTS = ['daily', 'weekly', 'monthly', 'predeploy'] as const;

/** Why an item may be marked N/A from the card (free text: `/audit skip <run> <item> <reason…>`). */
const DEFAULT_SKIP_REASONS = ['Not applicable here', 'Covered by another control', 'Accepted risk (ticket filed)', 'Not deployed yet'] as const;

/**
 * An item's automated check: a built-in probe written inline, or `{ action: <id> }` naming a
 * configured probe action (deployment-specific targets such as certificates and backups live in
 * the configuration). An item whose action is not configured is a manual item that says so.
 */
const actionCheckSchema = z.strictObject({
  action: z.string().regex(/^[a-z0-9-]{1,64}$/, { message: 'must be an action id: lowercase letters, digits and dashes' }),
});

const checkSchema = z.unknown().transform((value, ctx): z.output<typeof actionCheckSchema> | ProbeSpec => {
  // Chosen by shape rather than z.union, so a bad probe is reported by the probe schema itself
  // (which kind, which field), not as "matches neither".
  const byAction = typeof value === 'object' && value !== null && !Array.isArray(value) && 'action' in value;
  const parsed = byAction ? actionCheckSchema.safeParse(value) : probeSpecSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue } as Parameters<typeof ctx.addIssue>[0]);
  return z.NEVER;
});

const checklistItemSchema = z.strictObject({
  id: z.string().regex(ITEM_ID_PATTERN, { message: 'must be 1–48 lowercase letters, digits and dashes, e.g. "disk-usage"' }),
  title: z.string().trim().min(1, { message: 'is empty; say what to check in a few words' }).max(100, { message: 'must be at most 100 characters; move the detail into guidance' }),
  guidance: z.string().trim().min(1, { message: 'is empty; say how to check it' }).max(600, { message: 'must be at most 600 characters; link a runbook for the rest' }),
  check: checkSchema.optional(),
});

/** A checklist file (`checklists/<id>.yaml`). Unknown keys are rejected. */
export const checklistSchema = z
  .strictObject({
    id: z.string().regex(CHECKLIST_ID_PATTERN, { message: 'must be 1–32 lowercase letters, digits and dashes, e.g. "weekly"' }),
    title: z.string().trim().min(1, { message: 'is empty; name the checklist' }).max(100, { message: 'must be at most 100 characters' }),
    description: z.string().trim().max(1000, { message: 'must be at most 1000 characters' }).optional(),
    /** When a run must be done, if no schedule says (a scheduled run is due at its next slot). */
    dueWithinHours: z.number().int().min(1).max(24 * 90),
    /** The reasons offered on the card's N/A menu. */
    skipReasons: z.array(z.string().trim().min(1).max(60)).min(1).max(10).default([...DEFAULT_SKIP_REASONS]),
    // 22 items: two blocks each stay within Slack's 50 blocks and Lark's 30 KB with the card's header.
    items: z.array(checklistItemSchema).min(1, { message: 'has no items; add at least one' }).max(22, { message: 'has more than 22 items (a card shows at most 22); split it into two checklists' }),
  });

/**
 * Items whose id an earlier item already uses, as problems. The loader checks them on the raw tree,
 * so duplicates are reported even when other parts of the file fail the schema.
 */
export function findDuplicateItemIds(items: readonly unknown[]): { path: (string | number)[]; message: string }[] {
  const seen = new Set<string>();
  const found: { path: (string | number)[]; message: string }[] = [];
  items.forEach((item, i) => {
    const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
    if (typeof id !== 'string') return;
    if (seen.has(id)) found.push({ path: ['items', i, 'id'], message: `"${id}" is used by an earlier item; item ids must be unique in a checklist` });
    seen.add(id);
  });
  return found;
}

/** A validated checklist. */
export type Checklist = z.output<typeof checklistSchema>;
export type ChecklistItem = z.output<typeof checklistItemSchema>;
