import type { Config } from '../config/config-schema.js';
import type { IncidentOperationDeps } from '../incidents/incident-operation.js';
import type { ApprovalStore } from './create-approval-store.js';

/** What requesting, approving and denying action runs need, besides an incident operation's deps. */
export interface ApprovalDeps extends IncidentOperationDeps {
  /** The configured actions (what the card's action buttons may run). */
  actions: Config['actions'];
  approvals: ApprovalStore;
  /** How long an approval request stays open. */
  approvalExpiryMs: number;
  /** Every configured secret (`listSecrets`): masked in the rendered runs approval requests show. Default none. */
  secrets?: readonly string[];
  /** `access.people`: nobody approves their own request, from whichever of their identities. Default none. */
  people?: Config['access']['people'];
}
