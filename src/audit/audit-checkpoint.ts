/** `type` of the audit entry that records a checkpoint in the chain (and so in every audit file). */
export const AUDIT_CHECKPOINT_TYPE = 'audit.checkpoint';

/**
 * A checkpoint: the chain's head at one moment — `seq` and `hash` of the entry that was last — as
 * Warden records it in the chain (an {@link AUDIT_CHECKPOINT_TYPE} entry whose `detail` is the
 * checkpoint) and posts it outside Redis. `mac` is HMAC-SHA256 with `audit.hmacKey` over the
 * canonical checkpoint (see `signAuditCheckpoint`); without a key there is none, and the
 * checkpoint is worth what the place it was posted to is worth.
 */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  /** ISO-8601 time the checkpoint was taken. */
  at: string;
  /** Lowercase hex HMAC-SHA256; absent without `audit.hmacKey`. */
  mac?: string;
}

/** A checkpoint verification relies on, and where it came from (named in reasons). */
export interface KnownCheckpoint {
  seq: number;
  hash: string;
  /** `line 12 of the file`, `Redis`, `--checkpoint` … */
  source: string;
  /** Present for checkpoints Warden wrote (file, Redis); checked when the key is known. */
  at?: string;
  mac?: string;
  /** True when `mac` must be checked: a checkpoint Warden wrote, not one given by hand. */
  signed: boolean;
}
