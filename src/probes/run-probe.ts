import type { ActionConfig } from '../config/action-schema.js';
import { WardenError } from '../errors/warden-error.js';
import type { Alert, Incident } from '../model/incident.js';
import { isBuiltinProbeKind } from '../config/probe-spec-fields.js';
import { probeSpecFromAction, type BuiltinProbeAction } from './probe-spec-from-action.js';
import { runCheck, type ProbeTarget } from './run-check.js';
import { buildTemplateInputs } from '../templates/build-template-inputs.js';
import type { ProbeOptions } from './probe-options.js';
import type { ProbeResult } from '../model/probe-result.js';
import type { HttpCheckAction } from './run-http-check.js';
import type { PrometheusAction } from './run-prometheus-query.js';
import { sanitizeText } from '../shared/sanitize-text.js';
import { findTemplateLabels } from '../config/template-inputs.js';

/** An action that only reads, and so may run as a probe. */
export type ProbeAction = HttpCheckAction | PrometheusAction | BuiltinProbeAction;

/** At most this many targets are probed per action and incident; one extra result counts the rest. */
export const MAX_PROBE_TARGETS = 5;

/** True for the action kinds that only read (`http-check`, `prometheus` and the built-in probes such as `tls-expiry`). */
export function isProbeAction(action: ActionConfig): action is ProbeAction {
  return action.kind === 'http-check' || action.kind === 'prometheus' || isBuiltinProbeKind(action.kind);
}

/**
 * Runs a probe action for an incident. When its templates use `labels.*`, each distinct
 * combination of those labels among the firing alerts (else all alerts, else the incident's
 * `commonLabels`) is probed concurrently, at most {@link MAX_PROBE_TARGETS}, plus one result
 * saying how many targets were left out. A template input that fails its pattern becomes an
 * `ok: false` result naming the problem, and nothing is sent for that target. Every run goes
 * through `runCheck`, the one runner: a templated probe once per target, a built-in probe
 * (`tls-expiry`, `disk-usage` …, no templates) once, with `options.context`.
 *
 * @throws WardenError `not_a_probe` for remediation kinds (`http`, `exec`).
 */
export async function runProbe(actionId: string, action: ActionConfig, incident: Incident, alerts: Alert[], options: ProbeOptions = {}): Promise<ProbeResult[]> {
  if (!isProbeAction(action)) {
    throw new WardenError('not_a_probe', `action "${actionId}" (kind ${action.kind}) is a remediation, not a probe; only read-only kinds (http-check, prometheus, the built-in probes) run as probes`);
  }
  const now = options.now ?? Date.now;
  const scrub = options.scrub ?? options.context?.scrub;
  if (action.kind !== 'http-check' && action.kind !== 'prometheus') {
    const context = { ...options.context, now: options.context?.now ?? now, fetch: options.context?.fetch ?? options.fetch, scrub };
    return [await runCheck(actionId, action.title, probeSpecFromAction(action), context)];
  }
  // Each target runs through the one runner, with its inputs.
  const labelNames = findTemplateLabels(action);
  const targets = selectTargets(labelNames, incident, alerts);
  const probed = targets.slice(0, MAX_PROBE_TARGETS);

  const results = await Promise.all(
    probed.map((target) => runCheck(actionId, action.title, action, { ...options.context, now, fetch: options.fetch, scrub }, target)),
  );

  const skipped = targets.length - probed.length;
  if (skipped > 0) {
    results.push({
      actionId,
      title: action.title,
      // Not probed is not known to be fine.
      ok: false,
      summary: `${skipped} more target${skipped === 1 ? ' was' : 's were'} not probed (limit ${MAX_PROBE_TARGETS} per incident)`,
      at: now(),
      durationMs: 0,
    });
  }
  return results;
}

function selectTargets(labelNames: string[], incident: Incident, alerts: Alert[]): ProbeTarget[] {
  if (labelNames.length === 0) return [{ inputs: buildTemplateInputs(incident), target: undefined }];
  const firing = alerts.filter((alert) => alert.status === 'firing');
  const pool = firing.length > 0 ? firing : alerts;
  const candidates = pool.length > 0 ? pool.map((alert) => buildTemplateInputs(incident, alert)) : [buildTemplateInputs(incident)];

  const distinct = new Map<string, ProbeTarget>();
  for (const inputs of candidates) {
    const values = labelNames.map((name) => inputs[`labels.${name}`]);
    const key = JSON.stringify(values.map((value) => value ?? null));
    if (distinct.has(key)) continue;
    const target = labelNames.map((name, i) => `${name}=${values[i] === undefined ? '(missing)' : sanitizeText(values[i], 80)}`).join(', ');
    distinct.set(key, { inputs, target });
  }
  return [...distinct.values()];
}
