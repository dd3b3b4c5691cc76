import { webhookNotificationSchema } from './alertmanager-schema.js';
import type { Alert } from '../model/incident.js';

/**
 * An incident's alerts as cards and probes see them: labels and annotations from the latest body
 * that changed the incident, the status from each alert's own state (`status|startsMs|endsMs`, the
 * authority). Alerts Alertmanager no longer sends keep their state and appear without labels.
 * Firing alerts come first, then by start time.
 */
export function readIncidentAlerts(body: string | null, states: Record<string, string>): Alert[] {
  const parsed = body ? webhookNotificationSchema.safeParse(JSON.parse(body)) : undefined;
  const byFingerprint = new Map((parsed?.success ? parsed.data.alerts : []).map((alert) => [alert.fingerprint, alert]));
  const alerts = Object.entries(states).map(([fingerprint, state]): Alert & { startsMs: number } => {
    const [status, startsMs] = state.split('|');
    const known = byFingerprint.get(fingerprint);
    return {
      fingerprint,
      status: status === 'resolved' ? 'resolved' : 'firing',
      labels: known?.labels ?? {},
      annotations: known?.annotations ?? {},
      startsAt: known?.startsAt ?? new Date(Number(startsMs)).toISOString(),
      endsAt: known?.endsAt ?? '',
      generatorURL: known?.generatorURL ?? '',
      startsMs: Number(startsMs),
    };
  });
  alerts.sort((a, b) => (a.status === b.status ? a.startsMs - b.startsMs : a.status === 'firing' ? -1 : 1));
  return alerts.map(({ startsMs: _startsMs, ...alert }) => alert);
}
