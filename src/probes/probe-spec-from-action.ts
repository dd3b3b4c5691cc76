import type { ActionConfig } from '../config/action-schema.js';
import type { BuiltinProbeKind } from '../config/probe-spec-fields.js';
import type { ProbeSpecOf } from './probe-spec-schema.js';

/** A configured built-in probe action. */
export type BuiltinProbeAction = Extract<ActionConfig, { kind: BuiltinProbeKind }>;

/** The probe a configured built-in probe action runs: its fields without the action-only ones. */
export function probeSpecFromAction(action: BuiltinProbeAction): ProbeSpecOf<BuiltinProbeKind> {
  const { phase: _phase, title: _title, destructive: _destructive, params: _params, ...spec } = action;
  return spec as ProbeSpecOf<BuiltinProbeKind>;
}
