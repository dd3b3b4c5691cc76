import type { ProbeResult } from '../model/probe-result.js';
import { runHttpCheck } from './run-http-check.js';
import { runPrometheusQuery } from './run-prometheus-query.js';
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

/**
 * Runs one probe written as a {@link ProbeSpec} (a checklist item's `check:`, or a configured
 * built-in probe action) and labels the result with `id` and `title`. Never throws and never takes
 * much longer than the spec's `timeoutSeconds`: a hung target is a failed result "timed out after
 * 10 s". Whatever the probe needs but the context lacks is a failed result "not checked: …".
 * `context.scrub` removes secrets from every summary.
 */
export async function runCheck(id: string, title: string, spec: ProbeSpec, context: CheckContext): Promise<ProbeResult> {
  const options: ProbeRunnerOptions = { ...context, actionId: id, title, signal: AbortSignal.timeout(spec.timeoutSeconds * 1000) };
  const finish = startCheckResult(spec, options);
  let timer: NodeJS.Timeout | undefined;
  const backstop = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(() => resolve(finish(false, `timed out after ${spec.timeoutSeconds} s`)), spec.timeoutSeconds * 1000 + BACKSTOP_GRACE_MS);
  });
  const run = dispatch(spec, options).catch((error: unknown) =>
    finish(false, `failed unexpectedly: ${describeErrorMessage(error, 160)}`),
  );
  try {
    return await Promise.race([run, backstop]);
  } finally {
    clearTimeout(timer);
  }
}

function dispatch(spec: ProbeSpec, options: ProbeRunnerOptions): Promise<ProbeResult> {
  switch (spec.kind) {
    case 'http-check':
    case 'prometheus': {
      // The action runners want a whole action; inline probes have no templates, so no inputs.
      const action = { ...spec, phase: 'analyze', title: options.title ?? spec.kind, destructive: false, params: {} } as const;
      const runOptions = { fetch: options.fetch, now: options.now, actionId: options.actionId, scrub: options.scrub };
      return action.kind === 'http-check' ? runHttpCheck(action, {}, runOptions) : runPrometheusQuery(action, {}, runOptions);
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
