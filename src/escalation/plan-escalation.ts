import type { EscalationPolicy } from '../config/escalation-schema.js';

/** One notification of a chain: step `step`'s `repeat`th (0 = its first), due `afterMinutes` after the incident opened. */
export interface PlannedNotification {
  step: number;
  repeat: number;
  afterMinutes: number;
}

/**
 * Every notification of `policy`, in order: each step at its `afterMinutes`, then its repeats every
 * `repeat.everyMinutes`, up to `repeat.times` — but only until the next step takes over: a repeat
 * due at or after the next step's time is left out.
 */
export function planEscalation(policy: EscalationPolicy): PlannedNotification[] {
  return policy.steps.flatMap((step, index) => {
    const until = policy.steps[index + 1]?.afterMinutes ?? Infinity;
    const points: PlannedNotification[] = [{ step: index, repeat: 0, afterMinutes: step.afterMinutes }];
    for (let repeat = 1; repeat <= (step.repeat?.times ?? 0); repeat++) {
      const afterMinutes = step.afterMinutes + repeat * step.repeat!.everyMinutes;
      if (afterMinutes >= until) break;
      points.push({ step: index, repeat, afterMinutes });
    }
    return points;
  });
}
