import type { ProbeResult } from '../model/probe-result.js';
import { isWardenError } from '../errors/warden-error.js';
import { runHttpCheck, type HttpCheckAction } from './run-http-check.js';
import { runPrometheusQuery, type PrometheusAction } from './run-prometheus-query.js';
import type { CheckContext } from './check-context.js';
import { describeErrorMessage } from '../shared/describe-error-message.js';
import type { ProbeRunnerOptions } from './probe-runner-options.js';
import type { ProbeSpec } from './probe-spec-schema.js';
import { runAuditCountProbe } from './run-audit-count-probe.js';
import { runDiskUsageProbe } from './run-disk-usage-probe.js';
import { runFileModeProbe } from './run-file-mode-probe.js';
import { runNewestFileAgeProbe } from './run-newest-file-age-probe.js';
import { runProcessUserProbe } from './run-process-user-probe.js';
import { runRedisConfigProbe } from './run-redis-config-probe.js';
import { runSelfAuditProbe } from './run-self-audit-probe.js';
import { runTlsExpiryProbe } from './run-tls-expiry-probe.js';
import { startCheckResult } from './start-check-result.js';

// Runners that honour the abort signal say what they were waiting for; this backstop only speaks
// for one that does not (a Redis call, an injected self-audit), a moment later.
const BACKSTOP_GRACE_MS = 250;

/** A configured `http-check` or `prometheus` action, whose templates take inputs from an incident. */
export type TemplatedProbeAction = HttpCheckAction | PrometheusAction;

/** One target of a templated probe: its template inputs and its label (`instance=web-1:9100`). */
export interface ProbeTarget {
  inputs: Record<string, string>;
  target: string | undefined;
}

/**
 * The one probe runner. Runs one probe — written as a {@link ProbeSpec} (a checklist item's
 * `check:`, a configured built-in probe action) or a configured `http-check`/`prometheus` action
 * with the inputs of one target (see `runProbe`) — and labels the result with `id`, `title` and the
 * target. Never throws and never takes much longer than the spec's `timeoutSeconds`: a hung target
 * is a failed result "timed out after 10 s". Whatever the probe needs but the context lacks is a
 * failed result "not checked: …"; a template input that fails its pattern is "not probed: …" and
 * nothing is sent. `context.scrub` removes secrets from every summary.
 */
export async function runCheck(
  id: string,
  title: string,
  spec: ProbeSpec | TemplatedProbeAction,
  context: CheckContext,
  target: ProbeTarget = { inputs: {}, target: undefined },
): Promise<ProbeResult> {
  const options: ProbeRunnerOptions = { ...context, actionId: id, title, signal: AbortSignal.timeout(spec.timeoutSeconds * 1000) };
  const finish = startCheckResult(spec, options);
  let timer: NodeJS.Timeout | undefined;
  const backstop = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(() => resolve(finish(false, `timed out after ${spec.timeoutSeconds} s`)), spec.timeoutSeconds * 1000 + BACKSTOP_GRACE_MS);
  });
  const run = dispatch(spec, options, target).catch((error: unknown) =>
    isWardenError(error, 'template_input_rejected')
      ? describeNotProbed(id, title, target, error.message, options)
      : finish(false, `failed unexpectedly: ${describeErrorMessage(error, 160)}`),
  );
  try {
    return await Promise.race([run, backstop]);
  } finally {
    clearTimeout(timer);
  }
}

/** A templated probe whose input failed its pattern: nothing was sent for this target. */
function describeNotProbed(id: string, title: string, target: ProbeTarget, message: string, options: ProbeRunnerOptions): ProbeResult {
  const summary = `not probed: ${message}`;
  const at = (options.now ?? Date.now)();
  return { actionId: id, title, ...(target.target === undefined ? {} : { target: target.target }), ok: false, summary: options.scrub ? options.scrub(summary) : summary, at, durationMs: 0 };
}

function dispatch(spec: ProbeSpec | TemplatedProbeAction, options: ProbeRunnerOptions, target: ProbeTarget): Promise<ProbeResult> {
  switch (spec.kind) {
    case 'http-check':
    case 'prometheus': {
      // The action runners want a whole action: an inline probe becomes one without templates.
      const action = 'params' in spec ? spec : ({ ...spec, phase: 'analyze', title: options.title ?? spec.kind, destructive: false, params: {} } as const);
      const runOptions = { fetch: options.fetch, now: options.now, actionId: options.actionId, scrub: options.scrub, ...(target.target === undefined ? {} : { target: target.target }) };
      return action.kind === 'http-check' ? runHttpCheck(action, target.inputs, runOptions) : runPrometheusQuery(action, target.inputs, runOptions);
    }
    case 'tls-expiry':
      return runTlsExpiryProbe(spec, options);
    case 'disk-usage':
      return runDiskUsageProbe(spec, options);
    case 'file-mode':
      return runFileModeProbe(spec, options);
    case 'newest-file-age':
      return runNewestFileAgeProbe(spec, options);
    case 'process-user':
      return runProcessUserProbe(spec, options);
    case 'audit-count':
      return runAuditCountProbe(spec, options);
    case 'redis-config':
      return runRedisConfigProbe(spec, options);
    case 'self-audit':
      return runSelfAuditProbe(spec, options);
  }
}
