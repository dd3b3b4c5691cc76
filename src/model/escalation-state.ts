/** The last escalation step an incident got, as its card shows it ("escalated to bob at 03:12 UTC"). */
export interface EscalationRecord {
  /** The policy (escalation.policies) the incident followed. */
  policy: string;
  /** Step index in the policy (0 = first) and which repeat of it (0 = the first notification). */
  step: number;
  repeat: number;
  /** Epoch ms. */
  at: number;
  /** Whom it reached, as it reads: `bob (on call for primary)`. */
  to: string;
}

/** Why an incident's escalation ended before its last step, when something told it to stop (a silence …). */
export interface EscalationStop {
  at: number;
  reason: string;
  /** Identity of who caused it, when a person did. */
  by?: string;
}
