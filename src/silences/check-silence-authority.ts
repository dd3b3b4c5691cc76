import { checkPermission } from '../access/check-permission.js';
import { findPerson } from '../access/find-person.js';
import type { SilenceRequest } from '../model/silence.js';
import type { SilenceJobDeps } from './silence-deps.js';

/** Why a silence job must not act, or undefined when it may. */
export type SilenceRefusal = { code: string; text: string } | undefined;

/**
 * Checks a silence request again right before Alertmanager is called, against the configuration
 * in force: the requester still holds `incident.respond` (automatic expiries, by `warden`, need
 * nothing); a silence longer than `maxWithoutApproval` has its approval on record, by someone who
 * still holds `action.approve` and is not the requester's person (`access.people`).
 */
export async function checkSilenceAuthority(deps: SilenceJobDeps, request: SilenceRequest): Promise<SilenceRefusal> {
  const { access, alertmanager } = deps.settings;
  if (request.requestedBy === 'warden') return undefined;
  if (!checkPermission(access, request.requestedBy, 'incident.respond')) {
    return { code: 'requester_unauthorized', text: `${request.requestedBy} no longer holds incident.respond` };
  }
  if (request.op !== 'create' || request.durationMs <= alertmanager.silence.maxWithoutApproval) return undefined;
  const approval = await deps.approvals.get(request.requestId);
  if (!approval || approval.silence === undefined || approval.incidentKey !== request.key || approval.state !== 'approved' || approval.decidedBy === undefined) {
    return { code: 'not_approved', text: 'a silence this long needs an approval, and none is on record' };
  }
  if (approval.silence.durationMs !== request.durationMs) return { code: 'not_approved', text: 'the approval on record is for another duration' };
  if (!checkPermission(access, approval.decidedBy, 'action.approve')) {
    return { code: 'approver_unauthorized', text: `its approver ${approval.decidedBy} no longer holds action.approve` };
  }
  if (findPerson(access, approval.decidedBy) === findPerson(access, request.requestedBy)) {
    return { code: 'self_approval', text: 'it was approved by the person who asked for it' };
  }
  return undefined;
}
