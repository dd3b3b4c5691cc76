import { createHash } from 'node:crypto';

/**
 * The deterministic key of the incident for an Alertmanager `groupKey`: `inc-` and 12 hex digits of
 * its SHA-256 (48 bits: collisions between groups are negligible), with `-<n>` appended for the
 * group's n-th incident after earlier ones were closed. Every redelivery maps to the same key.
 */
export function buildIncidentKey(groupKey: string, generation = 1): string {
  const base = `inc-${createHash('sha256').update(groupKey).digest('hex').slice(0, 12)}`;
  return generation > 1 ? `${base}-${generation}` : base;
}

/** Incident keys as typed by responders: `inc-3f9a1c2b7d4e` or `inc-3f9a1c2b7d4e-2`. */
export const INCIDENT_KEY_PATTERN = /^inc-[0-9a-f]{12}(-[1-9][0-9]{0,8})?$/;
