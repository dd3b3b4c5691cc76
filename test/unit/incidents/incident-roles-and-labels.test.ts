import { describe, expect, it } from 'vitest';
import { buildIncidentCard } from '../../../cards/build-incident-card.js';
import { renderConsoleText } from '../../../cards/render-console-text.js';
import { renderLarkCard } from '../../../cards/render-lark-card.js';
import { renderSlackBlocks } from '../../../cards/render-slack-blocks.js';
import { PERSON_MENTION_PATTERN, resolvePersonMention } from '../../../src/access/resolve-person-mention.js';
import { toLarkInboundEvent } from '../../../src/chat/lark/to-lark-inbound-event.js';
import { resolveIncidentUpdates } from '../../../src/incidents/resolve-incident-updates.js';
import { toIncidentMetricLabels } from '../../../src/incidents/to-incident-metric-labels.js';
import { buildTestConfig } from '../../support/start-test-warden.js';
import { makeIncident } from '../cards/card-test-helpers.js';

const people = { alice: ['lark:ou_0alice', 'slack:U0ALICE'], bob: ['slack:U0BOB'] };

describe('resolvePersonMention', () => {
  it('reads Slack mentions, identities and people of access.people, on the platform asked from', () => {
    const cases: [string, 'slack' | 'lark', string | undefined][] = [
      ['<@U0LEAD>', 'slack', 'slack:U0LEAD'],
      ['<@U0LEAD|lead>', 'lark', 'slack:U0LEAD'],
      ['slack:U0LEAD', 'slack', 'slack:U0LEAD'],
      ['lark:ou_0lead', 'slack', 'lark:ou_0lead'],
      ['alice', 'slack', 'slack:U0ALICE'],
      ['@alice', 'lark', 'lark:ou_0alice'],
      ['bob', 'lark', 'slack:U0BOB'],
      ['carol', 'slack', undefined],
      ['constructor', 'slack', undefined],
      ['__proto__', 'slack', undefined],
    ];
    for (const [text, platform, identity] of cases) {
      expect(PERSON_MENTION_PATTERN.test(text), text).toBe(true);
      expect(resolvePersonMention({ people }, text, platform), text).toBe(identity);
    }
    for (const text of ['<@U0LEAD> extra', '<!channel>', 'slack:C0CHANNEL', 'Alice Smith', 'lark:oc_chat']) expect(PERSON_MENTION_PATTERN.test(text), text).toBe(false);
  });

  it('turns a Lark mention in a command into the identity it stands for', () => {
    const envelope = {
      schema: '2.0',
      header: { event_id: 'e1', event_type: 'im.message.receive_v1', tenant_key: 't1', app_id: 'cli_1' },
      event: {
        sender: { sender_id: { open_id: 'ou_sender' }, sender_type: 'user', tenant_key: 't1' },
        message: {
          chat_id: 'oc_security',
          message_type: 'text',
          content: JSON.stringify({ text: '@_user_1 /incident lead inc-3f9a1c2b7d4e @_user_2 @_user_3' }),
          mentions: [
            { key: '@_user_1', id: { open_id: 'ou_bot' } },
            { key: '@_user_2', id: { open_id: 'ou_0lead' } },
            { key: '@_user_3', id: { open_id: 'not an open id' } },
          ],
        },
      },
    };
    expect(toLarkInboundEvent(envelope, 1)?.input).toEqual({ type: 'command', name: 'incident', text: 'lead inc-3f9a1c2b7d4e lark:ou_0lead @_user_3' });
  });
});

describe('the lead on the incident card', () => {
  it('is a real mention on its own platform and plain text elsewhere', () => {
    const slackLead = buildIncidentCard({ incident: makeIncident({ lead: 'slack:U0LEAD' }), alerts: [], diagnosis: [] });
    expect(JSON.stringify(renderSlackBlocks(slackLead).blocks)).toContain('*Lead*\\n<@U0LEAD>');
    expect(JSON.stringify(renderLarkCard(slackLead))).not.toContain('<at');
    expect(renderConsoleText(slackLead)).toContain('Lead: slack:U0LEAD');
    const larkLead = buildIncidentCard({ incident: makeIncident({ lead: 'lark:ou_0lead' }), alerts: [], diagnosis: [] });
    expect(JSON.stringify(renderLarkCard(larkLead))).toContain('**Lead:** <at id=ou_0lead></at>');
    expect(JSON.stringify(renderSlackBlocks(larkLead).blocks)).not.toContain('<@');
    const none = buildIncidentCard({ incident: makeIncident(), alerts: [], diagnosis: [] });
    expect(JSON.stringify(renderSlackBlocks(none).blocks)).not.toContain('Lead');
  });

  it('never lets a malformed lead reach the markup', () => {
    const card = buildIncidentCard({ incident: makeIncident({ lead: 'slack:U0X> <!channel' }), alerts: [], diagnosis: [] });
    const blocks = JSON.stringify(renderSlackBlocks(card).blocks);
    expect(blocks).not.toContain('<!channel');
    expect(blocks).not.toContain('<@U0X>');
  });
});

describe('incident metric labels and update settings', () => {
  const config = buildTestConfig({
    alertmanager: { token: 'x'.repeat(32) },
    routes: [
      { name: 'payments', match: { team: 'payments' }, to: ['slack:C0PAY'], updates: { to: ['slack:C0PAYSTAKE'] } },
      { match: { team: 'web' }, to: ['slack:C0WEB'], updates: { remindAfterMinutes: 0 } },
      { match: { team: 'db' }, to: ['slack:C0DB'] },
    ],
    updates: { to: ['slack:C0EXEC'], remindAfterMinutes: 45 },
  });
  const incident = (team: string, severity = 'critical') => makeIncident({ severity, commonLabels: { team }, groupLabels: {} });

  it('labels by a bounded severity and the route name or index, never the key', () => {
    expect(toIncidentMetricLabels(config.routes, incident('payments'))).toEqual({ severity: 'critical', route: 'payments' });
    expect(toIncidentMetricLabels(config.routes, incident('web', 'Warning'))).toEqual({ severity: 'warning', route: '1' });
    expect(toIncidentMetricLabels(config.routes, incident('other', 'sev-${random}'))).toEqual({ severity: 'other', route: 'none' });
  });

  it('takes each updates key from the route, else from the global updates', () => {
    expect(resolveIncidentUpdates(config, incident('payments'))).toEqual({ to: ['slack:C0PAYSTAKE'], remindAfterMs: 45 * 60_000 });
    expect(resolveIncidentUpdates(config, incident('web'))).toEqual({ to: ['slack:C0EXEC'], remindAfterMs: 0 });
    expect(resolveIncidentUpdates(config, incident('db'))).toEqual({ to: ['slack:C0EXEC'], remindAfterMs: 45 * 60_000 });
    const defaults = buildTestConfig({ alertmanager: { token: 'x'.repeat(32) } });
    expect(resolveIncidentUpdates(defaults, incident('db'))).toEqual({ to: [], remindAfterMs: 30 * 60_000 });
  });

  it('rejects bad updates and route names with a message naming the key', () => {
    const bad = (tree: Record<string, unknown>) => () => buildTestConfig({ alertmanager: { token: 'x'.repeat(32) }, ...tree });
    expect(bad({ updates: { to: ['#general'] } })).toThrow(/slack:<channel id>/);
    expect(bad({ updates: { remindAfterMinutes: -1 } })).toThrow();
    expect(bad({ updates: { every: 5 } })).toThrow();
    expect(bad({ routes: [{ name: 'Has Spaces', to: ['slack:C0SEC'] }] })).toThrow(/lowercase letters/);
  });
});
