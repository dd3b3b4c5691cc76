import type { AuditLog } from '../audit/audit-log.js';
import type { Config } from '../config/config-schema.js';
import type { Work } from '../ports/work.js';
import type { Checklist } from './checklist-schema.js';
import type { RunStore } from './create-run-store.js';

/** What checklist runs need: starting, ticking, checking, reminding. */
export interface ChecklistDeps {
  runs: RunStore;
  work: Work;
  audit: AuditLog;
  now: () => number;
  /** The loaded checklists by id. */
  checklists: ReadonlyMap<string, Checklist>;
  /** Actions (items may name probe actions) and the checklists section (schedules, time zone, reminders). */
  config: Pick<Config, 'actions' | 'checklists' | 'access'>;
}
