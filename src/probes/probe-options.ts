import type { CheckContext } from './check-context.js';

/** Options shared by the probe runners ({@link runHttpCheck}, {@link runPrometheusQuery}, {@link runProbe}). */
export interface ProbeOptions {
  /** The fetch to use; defaults to Node's global `fetch`. Tests inject fakes here. */
  fetch?: typeof fetch;
  /** Clock in epoch milliseconds; defaults to `Date.now`. */
  now?: () => number;
  /**
   * What the built-in probes (`tls-expiry`, `audit-count` …) may use: Redis, the audit stream, the
   * self-audit, the working directory. Absent: those that need something report "not checked: …".
   */
  context?: CheckContext;
  /** Removes secrets from summaries and excerpts (see `createResultScrubber`); default `context.scrub`. */
  scrub?: (text: string) => string;
}

/** {@link ProbeOptions} plus how to label the result when a runner is called on its own. */
export interface ProbeRunOptions extends ProbeOptions {
  /** Copied to `ProbeResult.actionId`; defaults to the action's kind. */
  actionId?: string;
  /** Copied to `ProbeResult.target`, e.g. `instance=web-1:9100`. */
  target?: string;
}
