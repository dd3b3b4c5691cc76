import type { ActionConfig } from '../config/action-schema.js';
import { isWardenError } from '../errors/warden-error.js';
import type { Alert, Incident } from '../model/incident.js';
import type { ActionRendering } from '../model/action-rendering.js';
import { buildActionPreview } from './build-action-preview.js';
import { selectActionInputs } from '../templates/select-action-inputs.js';
import { findTemplateInputs } from '../config/template-inputs.js';

/** A rendering, or why the action cannot run on this incident now (a sentence such as "not sent: …"). */
export type RenderOutcome = { rendering: ActionRendering } | { refusal: string };

/**
 * Renders a run of `action` on the incident as it is now (its firing alerts, see
 * `selectActionInputs`): the inputs it uses and its preview with secrets masked (see
 * `buildActionPreview`). Done when the run is requested, so the approval card shows what will run
 * and the job runs exactly that. An input that fails its pattern, or alerts that disagree on the
 * target, give a refusal worded as the runners word theirs; nothing of it may run.
 */
export function renderActionRun(action: ActionConfig, incident: Incident, alerts: readonly Alert[], secrets: readonly string[]): RenderOutcome {
  const selected = selectActionInputs(action, incident, alerts.filter((alert) => alert.status === 'firing'));
  if (typeof selected === 'string') return { refusal: selected };
  const used = findTemplateInputs(action);
  // incident.key also reaches exec programs as WARDEN_INCIDENT_KEY.
  used.add('incident.key');
  const inputs = Object.fromEntries(Object.entries(selected).filter(([name]) => used.has(name)));
  try {
    return { rendering: { inputs, preview: buildActionPreview(action, inputs, secrets) } };
  } catch (error) {
    if (!isWardenError(error)) throw error;
    return { refusal: `${describeNotRun(action)}: ${error.message}` };
  }
}

function describeNotRun(action: ActionConfig): string {
  if (action.kind === 'http') return 'not sent';
  if (action.kind === 'queue') return action.operation === 'pause' ? 'not paused' : 'not resumed';
  return 'not run';
}
