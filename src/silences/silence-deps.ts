import type { ApprovalDeps } from '../approvals/approval-deps.js';
import type { ApprovalStore } from '../approvals/create-approval-store.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Config } from '../config/config-schema.js';
import type { IncidentStore } from '../incidents/create-incident-store.js';
import type { Incident } from '../model/incident.js';
import type { Work } from '../ports/work.js';

/** The configuration silences follow: where Alertmanager is, durations and approval, per-route durations, people. */
export type SilenceSettings = Pick<Config, 'alertmanager' | 'routes' | 'access'>;

/** What requesting a silence or its end needs (the Silence and Unsilence buttons, `/incident silence|unsilence`). */
export interface SilenceRequestDeps extends ApprovalDeps {
  /** Absent where silences are not wired: requests are refused with a reason. */
  silencing?: SilenceSettings;
}

/** What a silence job needs to call Alertmanager and record the outcome. */
export interface SilenceJobDeps {
  store: IncidentStore;
  work: Work;
  audit: AuditLog;
  approvals: ApprovalStore;
  /** The silence settings, and the escalation policies a silence stops. */
  settings: SilenceSettings & Pick<Config, 'escalation'>;
  now: () => number;
  /** Removes secrets from Alertmanager's answers before they reach a card, the timeline or a log. */
  scrub?: (text: string) => string;
  /** Per Alertmanager call; default 10 s. */
  timeoutMs?: number;
  /** Told once per silence recorded on an incident (the `warden_incident_silences_total` counter). */
  countSilence?: (incident: Incident) => void;
}
