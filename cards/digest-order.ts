import type { Incident } from '../src/model/incident.js';

const severityRank: Record<string, number> = { critical: 0, warning: 1, info: 2 };

/** Incidents of this order or lower are critical (see {@link digestOrder}). */
export const CRITICAL_DIGEST_ORDER_BELOW = 1e13;

/**
 * Where an incident stands on a storm digest, lowest first: most severe first (critical, warning,
 * info, anything else), then the earliest opened. One number, so that a Redis sorted set keeps a
 * digest's order however many incidents it has (epoch ms stay far below 1e13, and 4e13 is exact
 * in a double).
 */
export function digestOrder(incident: Pick<Incident, 'severity' | 'openedAt'>): number {
  return (severityRank[incident.severity] ?? 3) * CRITICAL_DIGEST_ORDER_BELOW + incident.openedAt;
}
