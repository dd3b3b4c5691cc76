import type { ActionRendering } from '../../model/action-rendering.js';
import { selectRunPermission } from '../../actions/select-run-permission.js';
import { checkPermission } from '../../access/check-permission.js';
import { findPerson } from '../../access/find-person.js';
import type { ApprovalStore } from '../../approvals/create-approval-store.js';
import type { ActionConfig } from '../../config/action-schema.js';
import type { Config } from '../../config/config-schema.js';
import type { RemediateJobData } from '../create-queues.js';

/** May the job run, and what: the rendering to run and who approved it; or a refusal with a stable code. */
export type AuthorityOutcome =
  | { rendering: ActionRendering; approvedBy?: string }
  | { refusal: { code: string; summary: string } };

/**
 * Checks, right before a remediation runs and against the configuration in force now, that it
 * still may: the requester holds the permission to run it (`action.run`; `incident.respond` for
 * read-only probes); when the action is destructive (now), an approval is on record for this very
 * request, its approver holds `action.approve` now and is another person than the requester
 * (`access.people`: one person's identities on every platform count as one). The run is the
 * rendering stored with the request — for an approval, the one its card showed; a request stored
 * without one (queued before runs were rendered at request time) is refused, never rendered anew,
 * since a new rendering may target something nobody saw.
 */
export async function checkRemediationAuthority(
  data: RemediateJobData,
  action: ActionConfig,
  deps: { access: Config['access']; approvals: ApprovalStore },
): Promise<AuthorityOutcome> {
  const { access } = deps;
  const refuse = (code: string, summary: string): AuthorityOutcome => ({ refusal: { code, summary: `not run: ${summary}` } });
  const permission = selectRunPermission(action);
  if (!checkPermission(access, data.requestedBy, permission)) return refuse('requester_not_permitted', `${data.requestedBy}, who requested it, no longer holds ${permission}`);

  if (!action.destructive) {
    if (data.rendering === undefined) return refuse('not_rendered', `this request was queued without the run it would make (before runs were rendered at request time); request ${action.title} again`);
    return { rendering: data.rendering, ...(data.approvedBy === undefined ? {} : { approvedBy: data.approvedBy }) };
  }

  const approval = await deps.approvals.get(data.requestId);
  const approved = approval !== null && approval.state === 'approved' && approval.incidentKey === data.key && approval.actionId === data.actionId && approval.requestedBy === data.requestedBy;
  if (!approved || approval.decidedBy === undefined) {
    return refuse('not_approved', `${action.title} is destructive and this request has no approval on record; request it again so that someone else with action.approve approves it`);
  }
  const approver = approval.decidedBy;
  if (data.approvedBy !== undefined && data.approvedBy !== approver) return refuse('approval_mismatch', `the job names ${data.approvedBy} as approver but ${approver} approved the request`);
  if (!checkPermission(access, approver, 'action.approve')) return refuse('approver_not_permitted', `${approver}, who approved it, no longer holds action.approve; request it again`);
  const person = findPerson(access, approver);
  if (person === findPerson(access, data.requestedBy)) {
    return refuse('self_approval', `${approver} approved what ${data.requestedBy} requested, and both are ${person}; someone else with action.approve has to approve it`);
  }
  if (approval.rendering === undefined) return refuse('not_rendered', `this request was approved without the run it would make (stored before runs were rendered at request time); request ${action.title} again`);
  return { rendering: approval.rendering, approvedBy: approver };
}
