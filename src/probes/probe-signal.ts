import type { ProbeRunnerOptions } from './probe-runner-options.js';

/** The signal a runner gives up on: the caller's, else one that fires after the spec's `timeoutSeconds`. */
export function probeSignal(spec: { timeoutSeconds: number }, options: ProbeRunnerOptions): AbortSignal {
  return options.signal ?? AbortSignal.timeout(spec.timeoutSeconds * 1000);
}
