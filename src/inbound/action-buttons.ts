import { createHash } from 'node:crypto';
import { APPROVE_BUTTON_ACTION_ID, DENY_BUTTON_ACTION_ID } from '../../cards/build-approval-blocks.js';
import { ACTION_BUTTON_ACTION_ID } from '../../cards/build-incident-card.js';
import { requestActionRun } from '../approvals/request-action-run.js';
import { selectRunPermission } from '../actions/select-run-permission.js';
import { decideApproval } from '../approvals/decide-approval.js';
import { INCIDENT_KEY_PATTERN } from '../incidents/build-incident-key.js';
import type { ButtonHandler } from './button-handler.js';
import type { InboundEvent } from '../model/inbound-event.js';
import { parseButtonValue } from './parse-button-value.js';

const ACTION_ID = /^[a-z0-9-]{1,64}$/;
const REQUEST_ID = /^[0-9a-f]{24}$/;

/** A stable id for what a click asks for: the same on every redelivery of that click. */
export function toRequestId(event: Pick<InboundEvent, 'id'>): string {
  return createHash('sha256').update(event.id).digest('hex').slice(0, 24);
}

/** `{"k":"<incident key>","a":"<action id>"}` of an action button. */
function parseActionButtonValue(value: string): { key: string; actionId: string } | undefined {
  const parsed = parseButtonValue(value, 300);
  const { k, a } = parsed ?? {};
  return typeof k === 'string' && INCIDENT_KEY_PATTERN.test(k) && typeof a === 'string' && ACTION_ID.test(a) ? { key: k, actionId: a } : undefined;
}

/** `{"k":"<incident key>","r":"<request id>"}` of an Approve / Deny button. */
function parseApprovalButtonValue(value: string): { key: string; requestId: string } | undefined {
  const parsed = parseButtonValue(value, 300);
  const { k, r } = parsed ?? {};
  return typeof k === 'string' && INCIDENT_KEY_PATTERN.test(k) && typeof r === 'string' && REQUEST_ID.test(r) ? { key: k, requestId: r } : undefined;
}

const runAction: ButtonHandler<{ key: string; actionId: string }> = {
  actionId: ACTION_BUTTON_ACTION_ID,
  permission: 'action.run',
  // Probes only read: whoever may respond may run them. Everything else is a remediation.
  permissionFor: ({ actionId }, actions) => selectRunPermission(actions[actionId]),
  parse: parseActionButtonValue,
  run: (deps, event, { key, actionId }) => requestActionRun(deps, key, actionId, event.identity, toRequestId(event)),
};

const approve: ButtonHandler<{ key: string; requestId: string }> = {
  actionId: APPROVE_BUTTON_ACTION_ID,
  permission: 'action.approve',
  parse: parseApprovalButtonValue,
  run: (deps, event, { key, requestId }) => decideApproval(deps, key, requestId, event.identity, 'approved'),
};

const deny: ButtonHandler<{ key: string; requestId: string }> = {
  actionId: DENY_BUTTON_ACTION_ID,
  permission: 'action.approve',
  parse: parseApprovalButtonValue,
  run: (deps, event, { key, requestId }) => decideApproval(deps, key, requestId, event.identity, 'denied'),
};

/** The card's action buttons (labelled with each action's title) and the approval buttons. */
export const actionButtons: readonly ButtonHandler[] = [runAction, approve, deny];
