import type { RedisClient } from '../redis/redis-client.js';
import type { Config } from '../config/config-schema.js';

/** How bad a failed check is: `critical` first, `low` last. */
export type SelfAuditSeverity = 'critical' | 'high' | 'medium' | 'low';

/** `skip`: the check could not be run (its `finding` says why); it is neither a pass nor a failure. */
export type SelfAuditStatus = 'pass' | 'fail' | 'skip';

/** The result of one check of `warden audit`. */
export interface SelfAuditFinding {
  /** Stable kebab-case id (tools key on it), e.g. `redis-eviction-policy`. */
  id: string;
  /** The severity of a failure of this check, in this deployment. */
  severity: SelfAuditSeverity;
  status: SelfAuditStatus;
  /** One line: what the check wants to be true. */
  title: string;
  /** What was seen, with the evidence (path and mode, address, policy value…); for `skip`, why it was not checked. Never a secret value. */
  finding: string;
  /** What to do, concretely: the command or the config key. */
  fix: string;
}

/** What `runSelfAudit` looks at; everything but `config` and `env` has a default. */
export interface SelfAuditInput {
  /** The loaded configuration (see `loadConfig`). */
  config: Config;
  /** The config file; `undefined`: `WARDEN_CONFIG`, else `./warden.config.yaml` if present; `null`: none. */
  configPath?: string | null;
  /** The config file's raw YAML text, scanned for literal secrets; read from `configPath` when absent. */
  configText?: string;
  env: Record<string, string | undefined>;
  /** A connection to Warden's Redis; without it the checks that ask Redis are skipped. */
  redis?: RedisClient;
  /** Why there is no `redis` (e.g. "connect ECONNREFUSED 127.0.0.1:6379"), shown as the skip reason. */
  redisError?: string;
  /** Directory relative paths are resolved against. Defaults to `process.cwd()`. */
  cwd?: string;
  /** The uid Warden runs as. Defaults to `process.getuid` (absent on Windows: the check is skipped). */
  getuid?: () => number;
  /**
   * True when the configuration has no webhook token of its own yet: no config file, no
   * `WARDEN_WEBHOOK_TOKEN`, and `warden serve` has not generated `./data/webhook-token`. The token
   * checks are then skipped, saying so.
   */
  webhookTokenPending?: boolean;
}

/** Every finding, and how many passed, failed and were skipped. */
export interface SelfAuditReport {
  findings: SelfAuditFinding[];
  total: number;
  passed: number;
  failed: number;
  skipped: number;
}

/** What a check is, independent of its outcome: {@link SelfAuditFinding} without status and evidence. */
export interface SelfAuditCheck {
  id: string;
  title: string;
  severity: SelfAuditSeverity;
  fix: string;
}
