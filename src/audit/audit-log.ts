/** What happened, as the code that records it describes it. */
export interface AuditEntryInput {
  /**
   * Dotted kind, e.g. `inbound.rejected` (verification failed), `access.denied`, `incident.acknowledged`,
   * `incident.phase`, `job.started`, `job.completed`, `approval.requested`, `config.loaded`.
   */
  type: string;
  /** Who: an identity (`slack:U…`, `lark:ou_…`), `alertmanager`, or `warden` for Warden itself. */
  actor: string;
  /** What it concerns, e.g. an incident key, `/incident ack`, a route. */
  subject?: string;
  /** `ok`, `denied`, `failed`, … */
  outcome?: string;
  /** More facts; never secrets or signature values. */
  detail?: Record<string, unknown>;
}

/** One entry of the hash-chained audit log, as stored. */
export interface AuditEntry extends AuditEntryInput {
  /** 1, 2, 3 … without gaps. */
  seq: number;
  /** ISO-8601 time. */
  at: string;
  /** Hash of the previous entry (64 zeros for the first). */
  prev: string;
  /** sha256 (or HMAC-SHA256 with `audit.hmacKey`) over `prev` and this entry's canonical form. */
  hash: string;
}

/** Appends to the audit log. Every Warden process shares one chain through Redis. */
export interface AuditLog {
  append(entry: AuditEntryInput): Promise<AuditEntry>;
}
