import { createHash } from 'node:crypto';

/** Options for {@link buildNotification}: one Alertmanager group of alerts on the given instances. */
export interface NotificationSpec {
  alertname?: string;
  severity?: string;
  instances?: string[];
  /** Instances whose alert is resolved. */
  resolved?: string[];
  groupKey?: string;
  startsAt?: string;
}

/** A webhook v4 payload, as Alertmanager sends it, for `alertname` grouped by alertname. */
export function buildNotification(spec: NotificationSpec = {}): Record<string, unknown> {
  const alertname = spec.alertname ?? 'SuspiciousProcess';
  const severity = spec.severity ?? 'critical';
  const instances = spec.instances ?? ['web-1:9100'];
  const resolved = new Set(spec.resolved ?? []);
  const startsAt = spec.startsAt ?? '2026-11-20T10:00:00.000Z';
  const alerts = instances.map((instance) => {
    const labels = { alertname, severity, instance };
    const isResolved = resolved.has(instance);
    return {
      status: isResolved ? 'resolved' : 'firing',
      labels,
      annotations: { summary: `${alertname} on ${instance}` },
      startsAt,
      endsAt: isResolved ? '2026-11-20T10:20:00.000Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example:9090/graph',
      fingerprint: createHash('sha256').update(JSON.stringify(labels)).digest('hex').slice(0, 16),
    };
  });
  return {
    receiver: 'warden',
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts,
    groupLabels: { alertname },
    commonLabels: { alertname, severity },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    version: '4',
    groupKey: spec.groupKey ?? `{}:{alertname="${alertname}"}`,
    truncatedAlerts: 0,
  };
}

/** POSTs a notification to a Warden and returns the parsed answer. */
export async function postNotification(url: string, token: string, payload: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(payload),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
