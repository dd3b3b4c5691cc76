import type { WebhookNotification } from './alertmanager-schema.js';

const SEVERITY_RANK: Record<string, number> = { critical: 4, high: 3, error: 3, warning: 2, medium: 2, info: 1, low: 1 };

/**
 * A group's title (its distinct alert names, the first three then "+N more") and severity (the
 * shared `severity` label, else the highest among its alerts, else "unknown").
 */
export function summarizeGroup(notification: Pick<WebhookNotification, 'alerts' | 'commonLabels' | 'groupLabels'>): {
  title: string;
  severity: string;
} {
  const names = new Set<string>();
  let severity = notification.commonLabels.severity;
  for (const alert of notification.alerts) {
    if (alert.labels.alertname) names.add(alert.labels.alertname);
    const candidate = alert.labels.severity;
    if (!notification.commonLabels.severity && candidate && (SEVERITY_RANK[candidate] ?? 0) > (SEVERITY_RANK[severity ?? ''] ?? -1)) {
      severity = candidate;
    }
  }
  const list = [...names];
  const title =
    list.length === 0
      ? (notification.groupLabels.alertname ?? 'Alert group')
      : list.length <= 3
        ? list.join(', ')
        : `${list.slice(0, 3).join(', ')} +${list.length - 3} more`;
  return { title, severity: severity ?? 'unknown' };
}
