import type { ProbeResult } from '../model/probe-result.js';
import type { Config } from '../config/config-schema.js';
import type { CheckContext } from '../probes/check-context.js';
import { probeSpecSchema } from '../probes/probe-spec-schema.js';
import { runCheck } from '../probes/run-check.js';
import type { ChecklistItem } from './checklist-schema.js';
import { resolveItemCheck } from './resolve-item-check.js';

/**
 * Runs one item's automated check: its inline probe, or the configured probe action it names.
 * A manual item, or an action that needs an incident (it uses templates), is a failed result
 * saying why — never a silent pass.
 */
export async function runItemCheck(
  id: string,
  title: string,
  definition: Pick<ChecklistItem, 'check'>,
  actions: Config['actions'],
  context: CheckContext,
): Promise<Pick<ProbeResult, 'ok' | 'summary'>> {
  const plan = resolveItemCheck(definition, actions);
  if (plan.type === 'manual') return { ok: false, summary: `not checked: ${plan.note ?? 'the item has no automated check'}` };
  if (plan.type === 'probe') return runCheck(id, title, plan.spec, context);
  // A configured probe action without its incident-only fields is an inline probe; one that uses
  // templates needs an incident to fill them and cannot run for a checklist.
  const { phase: _phase, title: _title, destructive: _destructive, params: _params, ...fields } = actions[plan.actionId] as Record<string, unknown>;
  const spec = probeSpecSchema.safeParse(fields);
  if (!spec.success) return { ok: false, summary: `not checked: the action "${plan.actionId}" uses {{ }} templates, which need an incident; give it fixed values` };
  return runCheck(plan.actionId, title, spec.data, context);
}
