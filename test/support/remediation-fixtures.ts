import { randomBytes } from 'node:crypto';
import type { TimelineEntry } from '../../src/model/incident.js';
import { toRequestId } from '../../src/inbound/action-buttons.js';
import { buildSlackButtonClick, postSignedSlackRequest } from './signed-slack-request.js';

/** Titles of the two remediations every response test configures (buttons are labelled with them). */
export const ISOLATE_TITLE = 'Isolate host';
export const NOTIFY_TITLE = 'Notify owner';

/** A strict pattern for `labels.instance`: a host name and a port, nothing a shell or a path could use. */
export const INSTANCE_PATTERN = '^[a-z0-9][a-z0-9.-]{0,62}:[0-9]{1,5}$';

/** Label values that try to reach a shell or a path; each must be refused before anything is sent. */
export const INJECTED_INSTANCES = ['web-1; rm -rf /', 'web-1$(id)', 'web-1`id`', 'web-1\nrm -rf /', '../../etc/passwd'] as const;

/**
 * `isolate-host` (destructive: needs a second person) and `notify-owner` (runs at once), both
 * `http` actions of the isolate phase posting `{{ labels.instance }}` as a JSON field to the fake
 * target, with a strict params pattern for it.
 */
export function remediationActions(targetUrl: string): Record<string, unknown> {
  const params = { 'labels.instance': INSTANCE_PATTERN };
  return {
    'isolate-host': {
      kind: 'http',
      phase: 'isolate',
      title: ISOLATE_TITLE,
      destructive: true,
      params,
      timeoutSeconds: 30,
      request: { method: 'POST', url: `${targetUrl}/isolate`, body: { host: '{{ labels.instance }}', incident: '{{ incident.key }}', mode: 'quarantine' } },
    },
    'notify-owner': {
      kind: 'http',
      phase: 'isolate',
      title: NOTIFY_TITLE,
      params,
      request: { method: 'POST', url: `${targetUrl}/notify`, body: { host: '{{ labels.instance }}' } },
    },
  };
}

/** Access for the flows: requesters (operators), approvers (one of them also an operator), everyone responds. */
export function responseAccess(platform: 'slack' | 'lark', ids: { operators: string[]; approvers: string[] }): Record<string, unknown> {
  const identity = (id: string) => `${platform}:${id}`;
  return {
    groups: { operators: ids.operators.map(identity), approvers: ids.approvers.map(identity) },
    permissions: { 'incident.respond': ['operators', 'approvers'], 'action.run': ['operators'], 'action.approve': ['approvers'] },
  };
}

/** Timeline entries recording the result of `actionId` (one per finished request). */
export function resultEntries(timeline: readonly TimelineEntry[], actionId: string): TimelineEntry[] {
  return timeline.filter((entry) => entry.kind === 'action' && entry.data?.actionId === actionId && typeof entry.data.ok === 'boolean');
}

/** A Block Kit button as Warden renders it. */
export interface SlackButton {
  action_id: string;
  text: { text: string };
  value: string;
}

/** Every button of a Block Kit message, in order. */
export function slackButtons(blocks: unknown): SlackButton[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.flatMap((block: { type?: string; elements?: { type?: string }[] }) =>
    block.type === 'actions' ? ((block.elements ?? []).filter((element) => element.type === 'button') as SlackButton[]) : [],
  );
}

/** A button click on a Warden card in one channel, signed like Slack, returning the click's request id. */
export type SlackClicker = (
  user: string,
  actionId: string,
  value: Record<string, string>,
  ids?: { triggerId: string; actionTs: string },
) => Promise<{ status: number; requestId: string }>;

/**
 * Clicks signed with the (possibly shifted) clock of the Warden under test. The request id is
 * computed as Warden does: `toRequestId` of the event id `slack:<trigger_id>:<action_ts>`.
 */
export function createSlackClicker(options: { url: () => string; signingSecret: string; channel: string; messageTs: () => string; now?: () => number }): SlackClicker {
  const salt = randomBytes(3).toString('hex');
  let serial = 0;
  return async (user, actionId, value, ids) => {
    serial += 1;
    const triggerId = ids?.triggerId ?? `trigger-${salt}-${serial}`;
    const actionTs = ids?.actionTs ?? `1700000000.${String(serial).padStart(6, '0')}`;
    const body = buildSlackButtonClick({ user, actionId, value: JSON.stringify(value), channel: options.channel, messageTs: options.messageTs(), triggerId, actionTs });
    const timestamp = Math.floor((options.now ?? Date.now)() / 1000);
    const answer = await postSignedSlackRequest({ url: options.url(), signingSecret: options.signingSecret, body, timestamp });
    return { status: answer.status, requestId: toRequestId({ id: `slack:${triggerId}:${actionTs}` }) };
  };
}

/** A Lark card 2.0 button as Warden renders it: its label and callback `{ actionId, value }`. */
export interface LarkButton {
  label: string;
  actionId: string;
  value: unknown;
}

/** Every button of a Lark card (any depth), in order. */
export function larkButtons(card: unknown): LarkButton[] {
  const found: LarkButton[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const record = node as { tag?: string; text?: { content?: string }; behaviors?: { value?: { actionId: string; value: unknown } }[] };
    const callback = record.behaviors?.[0]?.value;
    if (record.tag === 'button' && callback !== undefined) found.push({ label: record.text?.content ?? '', actionId: callback.actionId, value: callback.value });
    Object.values(node).forEach(visit);
  };
  visit(card);
  return found;
}
