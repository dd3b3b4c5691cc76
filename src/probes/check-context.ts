import type { RedisClient } from '../redis/redis-client.js';

/** What the self-audit (`warden audit`) reports, as the `self-audit` probe needs it. */
export interface SelfAuditSummary {
  /** Checks run. */
  total: number;
  /** Checks that failed. */
  failed: number;
  /** Ids of the failing checks, e.g. `redis-eviction-policy`. */
  failing: string[];
}

/** Runs the deployment's self-audit; provided by `src/self-audit/`. */
export type RunSelfAudit = () => Promise<SelfAuditSummary>;

/** The account the Warden process runs as, as `os.userInfo()` reports it. */
export interface ProcessAccount {
  username: string;
  uid: number;
}

/**
 * What probes may use besides their own parameters. Every field is optional: a probe that needs
 * something absent answers `ok: false` "not checked: …" instead of guessing.
 */
export interface CheckContext {
  /** Warden's own Redis connection: `redis-config` inspects it, `audit-count` reads the audit stream through it. */
  redis?: RedisClient;
  /** The audit stream key (`createRedisKeys(prefix).auditStream`), for `audit-count`. */
  auditStreamKey?: string;
  /** The audit file (`audit.file`), for `audit-count`: it keeps the entries checkpoints trimmed from the stream. */
  auditFile?: string;
  /** The self-audit, for the `self-audit` probe. */
  selfAudit?: RunSelfAudit;
  /** Directory relative paths are resolved against; defaults to `process.cwd()`. */
  cwd?: string;
  /** Clock in epoch milliseconds (ages, windows, expiry, the result's `at`); defaults to `Date.now`. */
  now?: () => number;
  /** The fetch for `http-check` and `prometheus`; defaults to Node's global `fetch`. */
  fetch?: typeof fetch;
  /** The process's uid, for `process-user`; defaults to `process.getuid`. */
  getuid?: () => number;
  /** The process's account, for `process-user`; defaults to `os.userInfo`. */
  userInfo?: () => ProcessAccount;
  /** CA certificates (PEM) `tls-expiry` trusts instead of Node's bundled roots, e.g. a private PKI's. */
  tlsCa?: string[];
  /** Removes secrets from what a probe reports (see `createResultScrubber`); applied before any cut. */
  scrub?: (text: string) => string;
}
