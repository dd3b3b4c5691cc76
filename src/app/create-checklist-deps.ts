import type { RedisClient } from '../redis/redis-client.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { ChecklistDeps } from '../checklists/checklist-deps.js';
import type { Checklist } from '../checklists/checklist-schema.js';
import { createRunStore } from '../checklists/create-run-store.js';
import type { Config } from '../config/config-schema.js';
import type { Work } from '../ports/work.js';
import type { CheckContext } from '../probes/check-context.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import { runSelfAudit } from '../self-audit/run-self-audit.js';
import { summarizeSelfAudit } from '../self-audit/summarize-self-audit.js';

/** What {@link createChecklistDeps} wires together. */
export interface ChecklistWiring {
  config: Config;
  checklists: ReadonlyMap<string, Checklist>;
  keys: RedisKeys;
  work: Work;
  audit: AuditLog;
  now: () => number;
  /** Path of the config file, for the self-audit's file-mode checks (null: configured from the environment). */
  configPath: string | null;
  env: Record<string, string | undefined>;
}

/** The checklist deps on one Redis connection. */
export function createChecklistDeps(wiring: ChecklistWiring, redis: RedisClient): ChecklistDeps {
  return {
    runs: createRunStore(redis, wiring.keys),
    work: wiring.work,
    audit: wiring.audit,
    now: wiring.now,
    checklists: wiring.checklists,
    config: wiring.config,
  };
}

/** What checklist probes may use in this process: its Redis, the audit stream and the self-audit of this deployment. */
export function createCheckContext(wiring: ChecklistWiring, redis: RedisClient): CheckContext {
  return {
    redis,
    auditStreamKey: wiring.keys.auditStream,
    auditFile: wiring.config.audit.file,
    now: wiring.now,
    async selfAudit() {
      return summarizeSelfAudit(await runSelfAudit({ config: wiring.config, configPath: wiring.configPath, env: wiring.env, redis }));
    },
  };
}
