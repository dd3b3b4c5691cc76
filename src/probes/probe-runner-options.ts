import type { CheckContext } from './check-context.js';

/** Options of the `run<Kind>Probe` runners: the {@link CheckContext} plus how to label the result. */
export interface ProbeRunnerOptions extends CheckContext {
  /** Copied to `ProbeResult.actionId`: the checklist item or action id; defaults to the probe's kind. */
  actionId?: string;
  /** Copied to `ProbeResult.title`; defaults to the probe's kind. */
  title?: string;
  /**
   * Aborted when the probe must give up; `runCheck` passes one that fires after `timeoutSeconds`.
   * Without it, runners that wait on a target stop after the spec's `timeoutSeconds` themselves.
   */
  signal?: AbortSignal;
}
