import type { AuditLog } from '../audit/audit-log.js';
import type { Config } from '../config/config-schema.js';
import type { IncidentStore } from '../incidents/create-incident-store.js';
import type { Incident } from '../model/incident.js';
import type { Work } from '../ports/work.js';
import type { RotationCalendars } from '../oncall/create-rotation-calendars.js';

/** What escalation and paging need. */
export interface EscalationDeps {
  /** Policies, rotations, people and groups, and the routes (a route may choose the policy). */
  config: Pick<Config, 'escalation' | 'oncall' | 'access' | 'routes'>;
  store: IncidentStore;
  work: Work;
  audit: AuditLog;
  now: () => number;
  /** How long a configured minute is, in ms: 60 000 (tests shorten it). */
  minuteMs: number;
  /** The rotations' calendars (oncall.rotations.<name>.calendar). */
  calendars?: RotationCalendars;
  /** Counts each step taken (`warden_incident_escalations_total{severity,route}`). */
  countEscalation?: (incident: Incident) => void;
}
