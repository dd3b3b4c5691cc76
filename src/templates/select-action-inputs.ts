import type { ActionConfig } from '../config/action-schema.js';
import type { Alert, Incident } from '../model/incident.js';
import { buildTemplateInputs } from './build-template-inputs.js';
import { sanitizeText } from '../shared/sanitize-text.js';
import { findTemplateLabels } from '../config/template-inputs.js';

/** How many distinct values a refusal lists before "+N more". */
const SHOWN_VALUES = 5;

/**
 * The inputs for the one target of a run of `action`, from the incident and its `firing` alerts,
 * or why there is no single target (a permanent refusal). When the firing alerts disagree on a
 * label the action's templates use (or some lack it), it lists the distinct values: a remediation
 * never picks one of several hosts. With no firing alert, the incident's `commonLabels` are used.
 */
export function selectActionInputs(action: ActionConfig, incident: Incident, firing: Alert[]): Record<string, string> | string {
  const labelNames = findTemplateLabels(action);
  if (firing.length === 0) return buildTemplateInputs(incident);
  const candidates = firing.map((alert) => buildTemplateInputs(incident, alert));
  const first = candidates[0]!;

  const disagreements: string[] = [];
  for (const name of labelNames) {
    const distinct = [...new Set(candidates.map((inputs) => inputs[`labels.${name}`]))];
    if (distinct.length <= 1) continue;
    const shown = distinct.slice(0, SHOWN_VALUES).map((value) => (value === undefined ? '(missing)' : JSON.stringify(sanitizeText(value, 60))));
    const more = distinct.length > SHOWN_VALUES ? `, +${distinct.length - SHOWN_VALUES} more` : '';
    disagreements.push(`${name} has ${distinct.length} values (${shown.join(', ')}${more})`);
  }
  if (disagreements.length === 0) return first;
  return `not run: the firing alerts disagree — ${disagreements.join('; ')}; this remediation targets one value; run it from a narrower alert group`;
}
