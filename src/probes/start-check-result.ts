import type { ProbeResult } from '../model/probe-result.js';
import { startProbeResult } from './start-probe-result.js';
import type { ProbeRunnerOptions } from './probe-runner-options.js';
import type { ProbeSpec } from './probe-spec-schema.js';

/** Starts timing one probe run; the returned function turns a verdict into a {@link ProbeResult}. */
export function startCheckResult(spec: Pick<ProbeSpec, 'kind'>, options: ProbeRunnerOptions): (ok: boolean, summary: string) => ProbeResult {
  return startProbeResult({ kind: spec.kind, title: options.title ?? spec.kind }, { now: options.now, actionId: options.actionId, scrub: options.scrub });
}
