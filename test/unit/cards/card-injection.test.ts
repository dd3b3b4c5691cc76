import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDigestCard } from '../../../cards/build-digest-card.js';
import { buildIncidentCard } from '../../../cards/build-incident-card.js';
import { renderConsoleText } from '../../../cards/render-console-text.js';
import { renderLarkCard } from '../../../cards/render-lark-card.js';
import { renderSlackBlocks } from '../../../cards/render-slack-blocks.js';
import {
  collectLarkMarkdown,
  collectSlackMrkdwn,
  decodeLarkEntities,
  findSlackViolations,
  larkBytes,
  makeAlert,
  makeIncident,
} from './card-test-helpers.js';
import { warmUpBinaryStrings, WARM_UP_TIMEOUT_MS } from '../../support/warm-up-binary-strings.js';

const payloads = ['<!channel>', '<@U123>', '<https://evil|click>', '*bold*', '<at id=all></at>', '[x](http://evil)', '<!here|here>', '&lt;!channel&gt;'];
const hostile = payloads.join(' ');

// Warden's own Slack links are `<http(s)://…|label>`; anything else with < or > is an injection.
const ownSlackLink = /<https?:\/\/[^\s<>|]+\|[^<>]*>/g;

function hostileCard(text: string, n = 1) {
  const alerts = Array.from({ length: n }, (_, i) =>
    makeAlert(i, { labels: { alertname: `${text}${i}`, instance: text, severity: text }, annotations: { runbook_url: text } }),
  );
  return buildIncidentCard({
    // In a response phase, so the playbook steps and the phase's action buttons show too.
    incident: makeIncident({ title: text, severity: text, key: 'inc-1', acknowledgedBy: text, phase: 'isolate' }),
    alerts,
    diagnosis: [{ actionId: 'a', title: text, target: text, ok: false, summary: text, at: 1, durationMs: 1 }],
    playbook: {
      title: text,
      steps: [
        { id: 'open-step', title: text, state: 'open', guidance: text, action: text },
        { id: 'manual-step', title: text, state: 'open' },
        { id: 'done-step', title: text, state: 'done', by: text, at: 1 },
      ],
    },
    actions: [{ id: 'a', title: text, destructive: true }],
  });
}

beforeAll(warmUpBinaryStrings, WARM_UP_TIMEOUT_MS);

describe('card text cannot inject mentions, links or markup', () => {
  it('Slack: every payload is escaped in mrkdwn and the header is plain_text', () => {
    const message = renderSlackBlocks(hostileCard(hostile));
    expect(findSlackViolations(message)).toEqual([]);
    const texts = [...collectSlackMrkdwn(message), message.text];
    for (const text of texts) {
      expect(text.replace(ownSlackLink, '')).not.toMatch(/[<>]/);
      expect(text).not.toContain('*bold*');
    }
    const all = texts.join('\n');
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('&lt;@U123&gt;');
    expect(all).toContain('&lt;https://evil|click&gt;');
    expect(all).toContain('&amp;lt;!channel&amp;gt;');
    expect(all).toContain('\u200b*bold\u200b*');
    // Every mrkdwn object is verbatim, so Slack does not auto-link or parse names either.
    for (const block of message.blocks as Array<Record<string, any>>) {
      for (const obj of [block['text'], ...(block['fields'] ?? []), ...(block['elements'] ?? [])]) {
        if (obj?.type === 'mrkdwn') expect(obj.verbatim).toBe(true);
      }
    }
    const header = (message.blocks[0] as Record<string, any>)['text'];
    expect(header.type).toBe('plain_text');
    expect(header.text.replace(/\u200b/g, '')).toContain('<!channel> <@U123>');
    // Nowhere in the payload, plain_text included, does a mention or link survive intact.
    const json = JSON.stringify(message);
    for (const tag of ['<!channel>', '<@U123>', '<https://evil|click>', '<!here|here>']) expect(json).not.toContain(tag);
  });

  it('Lark: markdown has no tags, links or emphasis from card text, yet decodes back to it', () => {
    const lark = renderLarkCard(hostileCard(hostile));
    const contents = collectLarkMarkdown(lark);
    for (const content of contents) {
      expect(content).not.toMatch(/[<>]/);
      expect(content).not.toContain('](http://evil)');
      expect(content).not.toContain('*bold*');
    }
    expect(contents.map(decodeLarkEntities).join('\n')).toContain(hostile);
    const json = JSON.stringify(lark);
    for (const tag of ['<at id=all>', '<!channel>', '<@U123>']) expect(json).not.toContain(tag);
    const header = (lark['header'] as Record<string, any>)['title'].content as string;
    expect(header.replace(/\u200b/g, '')).toBe(hostile);
  });

  it('console: shows the text literally, without control characters', () => {
    const text = renderConsoleText(hostileCard(`${hostile}\u001b[2J`));
    expect(text).toContain('<!channel>');
    expect(text).not.toContain('\u001b');
  });

  it('any label strings render within limits with no unescaped < (property)', () => {
    const label = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.constantFrom(...payloads),
      fc.array(fc.constantFrom(...payloads, '&', '<', '>', '*', '_', '\n', ' ', 'x'), { maxLength: 40 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(label, fc.integer({ min: 1, max: 40 }), (text, n) => {
        const card = hostileCard(text, n);
        const slack = renderSlackBlocks(card);
        if (findSlackViolations(slack).length > 0) return false;
        for (const mrkdwn of [...collectSlackMrkdwn(slack), slack.text]) {
          if (/[<>]/.test(mrkdwn.replace(ownSlackLink, ''))) return false;
        }
        const lark = renderLarkCard(card);
        if (larkBytes(lark) > 30 * 1024) return false;
        if (collectLarkMarkdown(lark).some((content) => /[<>]/.test(content))) return false;
        return !/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(renderConsoleText(card));
      }),
      { numRuns: 150 },
    );
  });

  it('a digest of hostile titles renders within limits on both platforms', () => {
    const incidents = Array.from({ length: 1000 }, (_, n) => makeIncident({ key: `inc-${n}`, title: `${hostile} ${'x'.repeat(n % 300)}` }));
    const card = buildDigestCard({ destination: 'slack:C1', incidents, windowStart: 0, windowEnd: 60_000 });
    const slack = renderSlackBlocks(card);
    expect(findSlackViolations(slack)).toEqual([]);
    for (const text of collectSlackMrkdwn(slack)) expect(text.replace(ownSlackLink, '')).not.toMatch(/[<>]/);
    const lark = renderLarkCard(card);
    expect(larkBytes(lark)).toBeLessThanOrEqual(30 * 1024);
    // Both languages share the 30 KB, so a few more titles move into "+N more" than with English alone.
    const more = /\*\+(\d+) more\*/.exec(collectLarkMarkdown(lark).join('\n'));
    expect(Number(more?.[1])).toBeGreaterThanOrEqual(970);
    expect(Number(more?.[1])).toBeLessThan(1000);
  });
});
