import type { Logger } from 'pino';
import type { ApprovalStore } from '../approvals/create-approval-store.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Checklist } from '../checklists/checklist-schema.js';
import type { RunStore } from '../checklists/create-run-store.js';
import type { Config } from '../config/config-schema.js';
import type { IncidentStore } from '../incidents/create-incident-store.js';
import type { ListIncidents } from '../incidents/list-incidents.js';
import type { RedisClient } from '../redis/redis-client.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { AuditStatus } from './read-audit-status.js';

/** How much one console request may read; the defaults suit a production Redis, tests make them small. */
export interface ConsoleReadLimits {
  /** Incidents per read from Redis (one `listIncidents` call); default 1,000. */
  batch?: number;
  /** Incidents per page of the list; default 200. */
  pageSize?: number;
  /** Incidents one list request reads at most (to fill its page, then to count the matches); default 10,000. */
  listMaxRead?: number;
  /** Incidents one metrics request reads at most (the page says when the weeks hold more); default 100,000. */
  metricsMaxRead?: number;
}

/** The read limits of a production console (what {@link ConsoleReadLimits} leaves out). */
export const CONSOLE_READ_DEFAULTS: Required<ConsoleReadLimits> = { batch: 1000, pageSize: 200, listMaxRead: 10_000, metricsMaxRead: 100_000 };

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
  logger: Logger;
  now: () => number;
  /** Replaces some of the default {@link ConsoleReadLimits}. */
  readLimits?: ConsoleReadLimits;
  /** Told of every request refused with 401 (the audit log's rate-limited `inbound.rejected`). */
  onUnauthorized?: (route: string, source: string, reason: string) => void;
}
