import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Card, CardSelect } from '../../../cards/card.js';
import { renderLarkCard } from '../../../cards/render-lark-card.js';
import { renderSlackBlocks } from '../../../cards/render-slack-blocks.js';
import { toLarkInboundEvent } from '../../../src/chat/lark/to-lark-inbound-event.js';
import { toSlackInboundEvent } from '../../../src/chat/slack/to-slack-inbound-event.js';

type Json = Record<string, any>;
const AT = 1_760_000_000_000;

const select: CardSelect = {
  actionId: 'checklist.na',
  placeholder: 'N/A …',
  options: [
    { label: 'Not applicable here', value: '{"r":"run-1","i":"i2","why":"not-applicable"}' },
    { label: 'Covered by another control', value: '{"r":"run-1","i":"i2","why":"covered"}' },
    { label: 'Accepted risk', value: '{"r":"run-1","i":"i2","why":"accepted-risk"}' },
  ],
};
const card: Card = {
  title: 'Weekly checklist',
  accent: 'info',
  summary: 'Weekly checklist',
  blocks: [{ type: 'actions', buttons: [{ actionId: 'checklist.done', label: 'Done', value: '{"r":"run-1","i":"i2"}' }], select }],
};

/** A static_select choice as Slack sends it in `actions[]` (no `value` of its own). */
function slackSelectAction(selectedOption: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'static_select',
    action_id: 'checklist.na',
    block_id: 'Xy1',
    selected_option: selectedOption,
    placeholder: { type: 'plain_text', text: 'N/A …', emoji: true },
    action_ts: '1700000001.000200',
    ...extra,
  };
}

function blockActions(actions: unknown[]): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: 'U0OPS1', username: 'ops', team_id: 'T0TEST' },
    api_app_id: 'A0WARDEN',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0SECURITY', is_ephemeral: false },
    trigger_id: '1234.5678.abcdef',
    team: { id: 'T0TEST', domain: 'example' },
    channel: { id: 'C0SECURITY', name: 'security' },
    response_url: 'https://hooks.slack.com/actions/T0TEST/1/secret',
    actions,
  };
}

/** A schema 2.0 `card.action.trigger` for a select_static choice, as Lark pushes it. */
function larkSelectCallback(action: Record<string, unknown>) {
  return {
    schema: '2.0',
    header: {
      event_id: '5e3702a84e847582be8db7fb73283c02',
      event_type: 'card.action.trigger',
      create_time: '1608725989000',
      token: 'verification-token',
      app_id: 'cli_wardentest0001',
      tenant_key: '2ca1d211f64f6438',
    },
    event: {
      operator: { tenant_key: '2ca1d211f64f6438', user_id: 'u1', open_id: 'ou_operator1', union_id: 'on_1' },
      token: 'c-card-update-token',
      action,
      host: 'im_message',
      context: { open_message_id: 'om_x100b4f4c1e0e4d2', open_chat_id: 'oc_security' },
    },
  };
}

describe('Slack static_select choices', () => {
  it('become an action event whose value is the chosen option, like a button click', () => {
    const option = { text: { type: 'plain_text', text: 'Accepted risk', emoji: true }, value: select.options[2]!.value };
    expect(toSlackInboundEvent(blockActions([slackSelectAction(option)]), AT)).toEqual([
      {
        id: 'slack:1234.5678.abcdef:1700000001.000200',
        platform: 'slack',
        identity: 'slack:U0OPS1',
        tenant: 'T0TEST',
        appId: 'A0WARDEN',
        destination: 'slack:C0SECURITY',
        receivedAt: AT,
        input: {
          type: 'action',
          actionId: 'checklist.na',
          value: '{"r":"run-1","i":"i2","why":"accepted-risk"}',
          message: { destination: 'slack:C0SECURITY', id: '1700000000.000100' },
        },
      },
    ]);
  });

  it('round-trips every option the renderer put on the card', () => {
    const element = (renderSlackBlocks(card).blocks as Json[]).find((block) => block['type'] === 'actions')!['elements'][1];
    expect(element.type).toBe('static_select');
    for (const option of element.options as Json[]) {
      const [event] = toSlackInboundEvent(blockActions([slackSelectAction(option, { action_id: element.action_id })]), AT) ?? [];
      expect(event?.input).toMatchObject({ type: 'action', actionId: 'checklist.na', value: option['value'] });
    }
  });

  it('takes the chosen option over any value on the action, and keeps buttons beside it working', () => {
    const button = { type: 'button', action_id: 'checklist.done', block_id: 'Xy1', value: '{"r":"run-1","i":"i2"}', action_ts: '1700000001.000100' };
    const events = toSlackInboundEvent(blockActions([button, slackSelectAction({ value: 'chosen' }, { value: 'stale' })]), AT);
    expect(events?.map((event) => event.input)).toEqual([
      expect.objectContaining({ actionId: 'checklist.done', value: '{"r":"run-1","i":"i2"}' }),
      expect.objectContaining({ actionId: 'checklist.na', value: 'chosen' }),
    ]);
    const longest = toSlackInboundEvent(blockActions([slackSelectAction({ value: 'v'.repeat(2000) })]), AT);
    expect(longest?.[0]?.input).toMatchObject({ value: 'v'.repeat(2000) });
  });

  it('ignores a deselection or a malformed choice, keeping the other actions', () => {
    const malformed: unknown[] = [null, undefined, 'accepted-risk', 42, [], {}, { value: '' }, { value: 7 }, { value: null }, { value: 'v'.repeat(2001) }, { text: 'x' }];
    for (const selected of malformed) {
      expect(toSlackInboundEvent(blockActions([slackSelectAction(selected)]), AT), JSON.stringify(selected)).toBeNull();
    }
    const button = { type: 'button', action_id: 'checklist.done', value: 'v', action_ts: '1700000001.000100' };
    const kept = toSlackInboundEvent(blockActions([slackSelectAction(null), button]), AT);
    expect(kept?.map((event) => event.input)).toEqual([expect.objectContaining({ actionId: 'checklist.done', value: 'v' })]);
  });

  it('never throws and only produces bounded string values, whatever the choice looks like', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ value: fc.jsonValue() }), fc.record({ value: fc.string({ maxLength: 2100 }) })), (selected) => {
        const events = toSlackInboundEvent(blockActions([slackSelectAction(selected)]), AT);
        for (const event of events ?? []) {
          expect(event.input.type).toBe('action');
          if (event.input.type === 'action') {
            expect(typeof event.input.value).toBe('string');
            expect(event.input.value.length).toBeGreaterThan(0);
            expect(event.input.value.length).toBeLessThanOrEqual(2000);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('Lark select_static choices', () => {
  it('become an action event whose value is the chosen option, like a button click', () => {
    const envelope = larkSelectCallback({ tag: 'select_static', value: { actionId: 'checklist.na' }, option: select.options[1]!.value });
    expect(toLarkInboundEvent(envelope, AT)).toEqual({
      id: 'lark:5e3702a84e847582be8db7fb73283c02',
      platform: 'lark',
      identity: 'lark:ou_operator1',
      tenant: '2ca1d211f64f6438',
      appId: 'cli_wardentest0001',
      destination: 'lark:oc_security',
      receivedAt: AT,
      input: {
        type: 'action',
        actionId: 'checklist.na',
        value: '{"r":"run-1","i":"i2","why":"covered"}',
        message: { destination: 'lark:oc_security', id: 'om_x100b4f4c1e0e4d2' },
      },
    });
  });

  it('round-trips the behaviour value and every option the renderer put on the card', () => {
    const lark = renderLarkCard(card) as Json;
    const row = (lark['body'].elements as Json[]).find((el) => el['tag'] === 'column_set')!;
    const element = row['columns'][1].elements[0];
    expect(element.tag).toBe('select_static');
    for (const option of element.options as Json[]) {
      const event = toLarkInboundEvent(larkSelectCallback({ tag: 'select_static', value: element.behaviors[0].value, option: option['value'] }), AT);
      expect(event?.input).toMatchObject({ type: 'action', actionId: 'checklist.na', value: option['value'] });
    }
  });

  it('keeps a Warden button a button even if an option comes along', () => {
    const event = toLarkInboundEvent(larkSelectCallback({ tag: 'button', value: { actionId: 'checklist.done', value: { r: 'run-1' } }, option: 'x' }), AT);
    expect(event?.input).toMatchObject({ actionId: 'checklist.done', value: '{"r":"run-1"}' });
  });

  it('ignores a choice Warden did not render or cannot read', () => {
    const ours = { actionId: 'checklist.na' };
    const foreign: Record<string, unknown>[] = [
      { tag: 'select_static', value: ours },
      { tag: 'select_static', value: ours, option: null },
      { tag: 'select_static', value: ours, option: 3 },
      { tag: 'select_static', value: ours, option: '' },
      { tag: 'select_static', value: ours, option: ['a'] },
      { tag: 'select_static', value: ours, option: 'v'.repeat(2001) },
      { tag: 'select_static', value: { actionId: 'bad id' }, option: 'x' },
      { tag: 'select_static', value: { actionId: '' }, option: 'x' },
      { tag: 'select_static', value: { actionId: 'checklist.na', value: 3 }, option: 'x' },
      { tag: 'select_static', value: { actionId: 'checklist.na', value: null }, option: 'x' },
      { tag: 'select_static', value: 'checklist.na', option: 'x' },
      { tag: 'select_static', value: null, option: 'x' },
      { tag: 'select_static', option: 'x' },
    ];
    for (const action of foreign) expect(toLarkInboundEvent(larkSelectCallback(action), AT), JSON.stringify(action)).toBeNull();
    const longest = toLarkInboundEvent(larkSelectCallback({ tag: 'select_static', value: ours, option: 'v'.repeat(2000) }), AT);
    expect(longest?.input).toMatchObject({ value: 'v'.repeat(2000) });
  });

  it('never throws, whatever the option and behaviour value are', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.constant({ actionId: 'checklist.na' })), fc.option(fc.oneof(fc.jsonValue(), fc.string({ maxLength: 2100 })), { nil: undefined }), (value, option) => {
        const event = toLarkInboundEvent(larkSelectCallback({ tag: 'select_static', value, ...(option === undefined ? {} : { option }) }), AT);
        if (event !== null && event.input.type === 'action') {
          expect(typeof event.input.value).toBe('string');
          expect(event.input.value.length).toBeLessThanOrEqual(2000);
        }
      }),
      { numRuns: 500 },
    );
  });
});
