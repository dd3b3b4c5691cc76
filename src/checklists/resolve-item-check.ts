import { isProbeAction } from '../probes/run-probe.js';
import type { Config } from '../config/config-schema.js';
import type { ProbeSpec } from '../probes/probe-spec-schema.js';
import type { ChecklistItem } from './checklist-schema.js';

/** How an item is checked in this deployment. */
export type ItemCheckPlan =
  | { type: 'probe'; label: string; spec: ProbeSpec }
  | { type: 'action'; label: string; actionId: string }
  | { type: 'manual'; note?: string };

/**
 * An item's check as this deployment can run it: its inline probe, the configured probe action it
 * names, or manual — with a note saying which action to configure when the named one is absent.
 */
export function resolveItemCheck(item: Pick<ChecklistItem, 'check'>, actions: Config['actions']): ItemCheckPlan {
  const { check } = item;
  if (check === undefined) return { type: 'manual' };
  if ('action' in check) {
    const action = actions[check.action];
    if (action === undefined || !isProbeAction(action)) {
      return { type: 'manual', note: `no automated check here: configure the probe action "${check.action}" to check it automatically` };
    }
    return { type: 'action', label: check.action, actionId: check.action };
  }
  return { type: 'probe', label: check.kind, spec: check };
}
