import { Counter, Histogram, type Registry } from 'prom-client';

/** The labels of every incident metric: both bounded (see `toIncidentMetricLabels`), never the incident key. */
export type IncidentMetricLabel = 'severity' | 'route';

/** Response times (MTTA, MTTC, MTTR) and how often incidents are escalated and silenced. */
export interface IncidentMetrics {
  /** `warden_incident_time_to_acknowledge_seconds`: opened → first acknowledged; observed once per incident. */
  readonly timeToAcknowledge: Histogram<IncidentMetricLabel>;
  /** `warden_incident_time_to_contain_seconds`: opened → isolate phase entered or an isolate-phase action succeeded, whichever came first; once per incident. */
  readonly timeToContain: Histogram<IncidentMetricLabel>;
  /** `warden_incident_time_to_resolve_seconds`: opened → resolved and closed by a responder; once per incident. */
  readonly timeToResolve: Histogram<IncidentMetricLabel>;
  /**
   * `warden_incident_escalations_total`: `inc(toIncidentMetricLabels(config.routes, incident))`
   * (src/incidents/) once per escalation, in the one process that recorded it.
   */
  readonly escalations: Counter<IncidentMetricLabel>;
  /** `warden_incident_silences_total`: `inc(toIncidentMetricLabels(config.routes, incident))` once per silence created. */
  readonly silences: Counter<IncidentMetricLabel>;
}

/** Seconds from one minute to one week: responses take minutes to days. */
export const INCIDENT_DURATION_BUCKETS = [60, 300, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400, 172_800, 604_800] as const;

/** The incident metrics, registered on `registers`. */
export function createIncidentMetrics(registers: Registry[]): IncidentMetrics {
  const labelNames = ['severity', 'route'] as const;
  const histogram = (name: string, help: string) => new Histogram({ name, help, labelNames, buckets: [...INCIDENT_DURATION_BUCKETS], registers });
  return {
    timeToAcknowledge: histogram('warden_incident_time_to_acknowledge_seconds', 'Time from an incident opening to its first acknowledgement, by severity and route.'),
    timeToContain: histogram(
      'warden_incident_time_to_contain_seconds',
      'Time from an incident opening to its containment (isolate phase entered, or an isolate-phase action succeeded, whichever came first), by severity and route.',
    ),
    timeToResolve: histogram('warden_incident_time_to_resolve_seconds', 'Time from an incident opening to a responder resolving and closing it, by severity and route.'),
    escalations: new Counter({ name: 'warden_incident_escalations_total', help: 'Incident escalations, by severity and route.', labelNames, registers }),
    silences: new Counter({ name: 'warden_incident_silences_total', help: 'Silences created for incidents, by severity and route.', labelNames, registers }),
  };
}
