import type { ProbeResult } from '../model/probe-result.js';
import type { SelfAuditSummary } from './check-context.js';
import { sanitizeText } from '../shared/sanitize-text.js';
import { describeErrorMessage } from '../shared/describe-error-message.js';
import type { ProbeRunnerOptions } from './probe-runner-options.js';
import type { ProbeSpecOf } from './probe-spec-schema.js';
import { startCheckResult } from './start-check-result.js';

const SHOWN_FAILING = 5;

/**
 * Runs the deployment's self-audit (`warden audit`, injected as `selfAudit`) and fails when any of
 * its checks fails: "2 of 17 checks fail: redis-eviction-policy, config-file-mode".
 */
export async function runSelfAuditProbe(spec: ProbeSpecOf<'self-audit'>, options: ProbeRunnerOptions = {}): Promise<ProbeResult> {
  const finish = startCheckResult(spec, options);
  if (options.selfAudit === undefined) return finish(false, 'not checked: the self-audit is not available here');
  let report: SelfAuditSummary;
  try {
    report = await options.selfAudit();
  } catch (error) {
    return finish(false, `not checked: the self-audit failed: ${describeErrorMessage(error, 160)}`);
  }
  if (report.failed === 0) return finish(true, `all ${report.total} checks pass`);
  const shown = report.failing.slice(0, SHOWN_FAILING).map((id) => sanitizeText(id, 60));
  const more = report.failing.length > SHOWN_FAILING ? `, +${report.failing.length - SHOWN_FAILING} more` : '';
  return finish(false, `${report.failed} of ${report.total} checks fail${shown.length === 0 ? '' : `: ${shown.join(', ')}${more}`}`);
}
