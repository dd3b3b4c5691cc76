import type { ProbeResult } from '../src/model/probe-result.js';

/**
 * Keeps the newest result per action and target (a probe re-run replaces its earlier answer),
 * ordered failures first, then newest first: what a responder needs to see before the rest.
 */
export function selectLatestDiagnosis(results: readonly ProbeResult[]): ProbeResult[] {
  const latest = new Map<string, ProbeResult>();
  for (const result of results) {
    const key = JSON.stringify([result.actionId, result.target ?? null]);
    const seen = latest.get(key);
    if (seen === undefined || result.at >= seen.at) latest.set(key, result);
  }
  return [...latest.values()].sort((a, b) => Number(a.ok) - Number(b.ok) || b.at - a.at);
}
