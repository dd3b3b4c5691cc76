import { checkPermission } from '../access/check-permission.js';
import { findPerson } from '../access/find-person.js';
import type { SilenceRequest } from '../model/silence.js';
import type { SilenceJobDeps } from './silence-deps.js';
import { textRef, type TextRef } from '../shared/messages/text-ref.js';

/** Why a silence job must not act, or undefined when it may. */
export type SilenceRefusal = { code: string; reason: TextRef } | undefined;

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
    return { code: 'requester_unauthorized', reason: textRef('card.silence.refusal.requesterUnauthorized', { who: request.requestedBy }) };
  }
  if (request.op !== 'create' || request.durationMs <= alertmanager.silence.maxWithoutApproval) return undefined;
  const approval = await deps.approvals.get(request.requestId);
  if (!approval || approval.silence === undefined || approval.incidentKey !== request.key || approval.state !== 'approved' || approval.decidedBy === undefined) {
    return { code: 'not_approved', reason: textRef('card.silence.refusal.noApproval') };
  }
  if (approval.silence.durationMs !== request.durationMs) return { code: 'not_approved', reason: textRef('card.silence.refusal.otherDuration') };
  if (!checkPermission(access, approval.decidedBy, 'action.approve')) {
    return { code: 'approver_unauthorized', reason: textRef('card.silence.refusal.approverUnauthorized', { who: approval.decidedBy }) };
  }
  if (findPerson(access, approval.decidedBy) === findPerson(access, request.requestedBy)) {
    return { code: 'self_approval', reason: textRef('card.silence.refusal.selfApproval') };
  }
  return undefined;
}
