import type { ActionConfig } from '../config/action-schema.js';
import type { ProbeRunOptions } from './probe-options.js';
import type { ProbeResult } from '../model/probe-result.js';

/**
 * Starts timing one probe run; the returned function turns its verdict into a {@link ProbeResult}
 * labelled with the action's title and the run's target, its summary passed through `options.scrub`.
 */
export function startProbeResult(action: Pick<ActionConfig, 'kind' | 'title'>, options: ProbeRunOptions): (ok: boolean, summary: string) => ProbeResult {
  const now = options.now ?? Date.now;
  const scrub = options.scrub ?? ((text: string) => text);
  const startedAt = now();
  return (ok, summary) => {
    const at = now();
    return {
      actionId: options.actionId ?? action.kind,
      title: action.title,
      ...(options.target === undefined ? {} : { target: options.target }),
      ok,
      summary: scrub(summary),
      at,
      durationMs: Math.max(0, at - startedAt),
    };
  };
}
