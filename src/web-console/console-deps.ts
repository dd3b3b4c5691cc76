import type { Logger } from 'pino';
import type { ApprovalStore } from '../approvals/create-approval-store.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Checklist } from '../checklists/checklist-schema.js';
import type { RunStore } from '../checklists/create-run-store.js';
import type { Config } from '../config/config-schema.js';
import type { IncidentStore } from '../incidents/create-incident-store.js';
import type { ListIncidents } from '../incidents/list-incidents.js';
import type { Incident } from '../model/incident.js';
import type { RedisClient } from '../redis/redis-client.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { AuditStatus } from './read-audit-status.js';

/** What the web console reads (never writes, besides its own sign-in marks and audit entries). */
export interface ConsoleDeps {
  config: Config;
  redis: RedisClient;
  keys: RedisKeys;
  store: IncidentStore;
  listIncidents: ListIncidents;
  approvals: ApprovalStore;
  runs: RunStore;
  checklists: ReadonlyMap<string, Checklist>;
  audit: AuditLog;
  /** The audit log's verification, cached (see `cacheAuditStatus`). */
  auditStatus: () => Promise<AuditStatus>;
  /** Hosts that runbook and source links may point to, as on cards (see `listLinkHosts`). */
  linkHosts: readonly string[];
  /** The route label of an incident (its route's name or index). */
  routeOf: (incident: Incident) => string;
  logger: Logger;
  now: () => number;
  /** Told of every request refused with 401 (the audit log's rate-limited `inbound.rejected`). */
  onUnauthorized?: (route: string, source: string, reason: string) => void;
}
