import { randomBytes } from 'node:crypto';

/** Number of alerts in every benchmark notification. */
export const ALERTS_PER_NOTIFICATION = 5;

/** Produces Alertmanager webhook v4 bodies, each one a new alert group with new fingerprints. */
export interface PayloadFactory {
  /** The next body (JSON text): a new `groupKey`, new group labels and five new fingerprints. */
  next(): string;
  /** How many bodies `next` has produced. */
  count(): number;
}

// Replaced by a unique id per body. The template is serialised once, so a body costs one `join`.
const MARK = '%%ID%%';

const HOSTS = [
  { instance: '10.20.4.17:9100', pod: 'checkout-api-7c9f6d5b8-x2k4q', node: 'ip-10-20-4-17' },
  { instance: '10.20.4.31:9100', pod: 'checkout-api-7c9f6d5b8-m8r2z', node: 'ip-10-20-4-31' },
  { instance: '10.20.5.12:9100', pod: 'payments-worker-5d4b7f9c6-q7w3e', node: 'ip-10-20-5-12' },
  { instance: '10.20.5.44:9100', pod: 'payments-worker-5d4b7f9c6-t1n8v', node: 'ip-10-20-5-44' },
  { instance: '10.20.6.9:9100', pod: 'ledger-db-0', node: 'ip-10-20-6-9' },
] as const;

/**
 * A realistic firing notification as Alertmanager sends it to a webhook receiver grouped by
 * `alertname`, `cluster` and `service`: five alerts of one security rule on five hosts, with the
 * labels, annotations and links a Prometheus rule over a Falco exporter produces (about 7 KB).
 */
function buildTemplate(startedAt: Date): string {
  const service = `svc-${MARK}`;
  const groupLabels = { alertname: 'SuspiciousOutboundConnection', cluster: 'prod-eu-west-1', service };
  const commonLabels = {
    ...groupLabels,
    severity: 'critical',
    job: 'falco-exporter',
    namespace: 'payments',
    team: 'security',
    prometheus: 'monitoring/k8s',
  };
  const expr = 'sum by (cluster, service, instance, pod) (rate(falco_events{rule="Outbound Connection to C2 Servers",priority=~"Critical|Error"}[5m])) > 0';
  const alerts = HOSTS.map((host, i) => ({
    status: 'firing',
    labels: { ...commonLabels, instance: host.instance, pod: host.pod, node: host.node, container: host.pod.split('-')[0] ?? 'app', destination_port: String(4444 + i) },
    annotations: {
      summary: `Outbound connection from ${host.pod} to a known command-and-control address`,
      description:
        `Falco rule "Outbound Connection to C2 Servers" fired ${3 + i} times in the last 5 minutes on ${host.node} ` +
        `(pod ${host.pod}, namespace payments). Destination 203.0.113.${20 + i}:${4444 + i} is on the threat-intel blocklist. ` +
        'Isolate the pod (network policy deny-all), capture its process tree and open connections, then rotate the credentials it could read.',
      runbook_url: 'https://runbooks.example.com/security/suspicious-outbound-connection',
    },
    startsAt: new Date(startedAt.getTime() - (5 - i) * 15_000).toISOString(),
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: `http://prometheus-k8s-0.monitoring.svc:9090/graph?g0.expr=${encodeURIComponent(expr)}&g0.tab=1`,
    // 16 hex digits like Alertmanager's: 12 from the body id, then the alert's index.
    fingerprint: `${MARK}000${i}`,
  }));
  return JSON.stringify({
    receiver: 'warden',
    status: 'firing',
    alerts,
    groupLabels,
    commonLabels,
    commonAnnotations: { runbook_url: 'https://runbooks.example.com/security/suspicious-outbound-connection' },
    externalURL: 'http://alertmanager-main-0.monitoring.svc:9093',
    version: '4',
    groupKey: `{}/{severity="critical",team="security"}:{alertname="SuspiciousOutboundConnection", cluster="prod-eu-west-1", service="${service}"}`,
    truncatedAlerts: 0,
  });
}

/**
 * Creates a payload factory. Ids are 12 hex digits: 4 random per factory (so two runs against one
 * Redis never collide) and 8 from a counter.
 */
export function createPayloadFactory(startedAt = new Date()): PayloadFactory {
  const parts = buildTemplate(startedAt).split(MARK);
  const salt = randomBytes(2).toString('hex');
  let counter = 0;
  return {
    next() {
      const id = salt + (counter++).toString(16).padStart(8, '0');
      return parts.join(id);
    },
    count: () => counter,
  };
}
