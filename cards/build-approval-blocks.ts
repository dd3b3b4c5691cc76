import type { CardBlock } from './card.js';
import { formatUtcTime } from '../src/shared/format-utc-time.js';
import type { Translator } from '../src/shared/messages/translator.js';
import { showText, translateRef, type TextRef } from '../src/shared/messages/text-ref.js';

/** A pending request to run a destructive action: Approve and Deny buttons for someone else with `action.approve`. */
export interface ApprovalView {
  id: string;
  /** In English; `titleRef`, when Warden wrote the title (a silence's), in the card's language. */
  title: string;
  titleRef?: TextRef;
  requestedBy: string;
  expiresAt: number;
  /** What approving runs, rendered at request time (secrets masked), as lines; absent for a request stored without it. */
  runs?: string[];
  /** `runs` as catalogue messages, when Warden wrote them (a silence's), shown in the card's language. */
  runRefs?: TextRef[];
  /** The template inputs that rendering used (`labels.instance = web-5:9100`). */
  inputs?: string[];
  /** What a rendering made now would run, when the incident changed so that it differs (or why none could run). */
  renderedNow?: string[];
}

/** Action ids of an approval request's buttons (value `{"k":"<key>","r":"<request id>"}`). */
export const APPROVE_BUTTON_ACTION_ID = 'approval.approve';
export const DENY_BUTTON_ACTION_ID = 'approval.deny';

const APPROVALS_SHOWN = 3;

/**
 * The incident card's pending approval requests (the first few, then "+N more"): what each would
 * run, as rendered when it was requested, and Approve and Deny buttons.
 */
export function buildApprovalBlocks(key: string, approvals: readonly ApprovalView[], t: Translator): CardBlock[] {
  const blocks: CardBlock[] = [];
  for (const approval of approvals.slice(0, APPROVALS_SHOWN)) {
    const value = JSON.stringify({ k: key, r: approval.id });
    const title = showText(t, approval.title, approval.titleRef);
    blocks.push(
      { type: 'context', text: t('card.approval.needed', { title, by: approval.requestedBy, at: formatUtcTime(approval.expiresAt) }) },
      ...renderedRunBlocks(approval, title, t),
      {
        type: 'actions',
        buttons: [
          { actionId: APPROVE_BUTTON_ACTION_ID, label: t('card.approval.button.approve', { title }), value, style: 'primary' },
          { actionId: DENY_BUTTON_ACTION_ID, label: t('card.approval.button.deny'), value, style: 'danger' },
        ],
      },
    );
  }
  if (approvals.length > APPROVALS_SHOWN) blocks.push({ type: 'context', text: t('card.approval.more', { count: approvals.length - APPROVALS_SHOWN }) });
  return blocks;
}

// The approver sees what approving runs; when the incident moved on, also what it would be now.
function renderedRunBlocks(approval: ApprovalView, title: string, t: Translator): CardBlock[] {
  if (approval.runs === undefined) {
    return [{ type: 'context', text: t('card.approval.noRun', { title }) }];
  }
  const heading = approval.inputs === undefined || approval.inputs.length === 0 ? t('card.approval.runs') : t('card.approval.runsWith', { inputs: approval.inputs.join(', ') });
  const items = approval.runRefs === undefined ? approval.runs : approval.runRefs.map((ref) => translateRef(t, ref));
  const blocks: CardBlock[] = [{ type: 'list', title: heading, items }];
  if (approval.renderedNow !== undefined) {
    blocks.push(
      { type: 'context', text: t('card.approval.changed') },
      { type: 'list', title: t('card.approval.renderedNow'), items: approval.renderedNow },
    );
  }
  return blocks;
}
