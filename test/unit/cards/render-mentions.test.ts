import { describe, expect, it } from 'vitest';
import { buildNoticeCard } from '../../../cards/build-notice-card.js';
import { renderConsoleText } from '../../../cards/render-console-text.js';
import { renderLarkCard } from '../../../cards/render-lark-card.js';
import { renderSlackBlocks } from '../../../cards/render-slack-blocks.js';

const card = buildNoticeCard('inc-1 is not acknowledged. <@U0EVIL> <at id=all></at>', {
  title: 'Escalation',
  accent: 'critical',
  mentions: ['slack:U0BOB', 'lark:ou_0bob', 'slack:U0BOB', 'slack:not-an-id', 'lark:ou_0alice'],
});

describe('mention blocks', () => {
  it("Slack: <@U…> for the Slack identities only, in a section and in the notification text; the card's text stays escaped", () => {
    const message = renderSlackBlocks(card);
    const texts = message.blocks.map((block) => JSON.stringify(block));
    expect(texts.some((text) => text.includes('"text":"<@U0BOB>"'))).toBe(true);
    expect(message.text.endsWith(' <@U0BOB>')).toBe(true);
    expect(JSON.stringify(message)).not.toContain('<@U0EVIL>');
    expect(JSON.stringify(message)).not.toContain('ou_0bob');
  });

  it('Lark: <at id=ou_…></at> in a markdown element for the Lark identities only; the text cannot mention', () => {
    const rendered = JSON.stringify(renderLarkCard(card));
    expect(rendered).toContain('"content":"<at id=ou_0bob></at> <at id=ou_0alice></at>"');
    expect(rendered).not.toContain('<at id=all>');
    expect(rendered).not.toContain('U0BOB');
  });

  it('console: the identities as text', () => {
    expect(renderConsoleText(card)).toContain('@slack:U0BOB');
  });
});
