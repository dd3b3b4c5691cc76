import type { Alert, Incident } from '../model/incident.js';

// Only label names a template can reference (see TEMPLATE_INPUT_PATTERN) become inputs.
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The values an action's templates may use: `incident.key`, `incident.severity`, `incident.title`
 * and `labels.<name>` for each label of `alert`, falling back to the incident's `commonLabels`
 * for labels the alert lacks (or for all of them when there is no alert).
 */
export function buildTemplateInputs(incident: Incident, alert?: Alert): Record<string, string> {
  const inputs: Record<string, string> = {
    'incident.key': incident.key,
    'incident.severity': incident.severity,
    'incident.title': incident.title,
  };
  for (const labels of [incident.commonLabels, alert?.labels ?? {}]) {
    for (const [name, value] of Object.entries(labels)) {
      if (LABEL_NAME.test(name) && typeof value === 'string') inputs[`labels.${name}`] = value;
    }
  }
  return inputs;
}
