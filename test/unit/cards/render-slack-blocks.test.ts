import { describe, expect, it } from 'vitest';
import { buildDigestCard } from '../../../cards/build-digest-card.js';
import { buildIncidentCard } from '../../../cards/build-incident-card.js';
import type { Card } from '../../../cards/card.js';
import { renderSlackBlocks } from '../../../cards/render-slack-blocks.js';
import { isWardenError } from '../../../src/errors/warden-error.js';
import { collectSlackMrkdwn, findSlackViolations, makeAlert, makeIncident } from './card-test-helpers.js';

type Json = Record<string, any>;

/** The bullet items rendered for the list titled `title`, across all its sections, and the "+N more". */
function renderedList(message: ReturnType<typeof renderSlackBlocks>, title: string): { items: string[]; more: number } {
  const items: string[] = [];
  let more = 0;
  let inside = false;
  for (const block of message.blocks as Json[]) {
    const text: string | undefined = block['type'] === 'section' ? block['text']?.text : undefined;
    if (text === undefined) {
      if (inside) break;
      continue;
    }
    const lines = text.split('\n');
    if (lines[0] === `*${title}*`) inside = true;
    else if (!inside || !lines[0]!.startsWith('• ')) {
      if (inside) break;
      continue;
    }
    for (const line of lines) {
      if (line.startsWith('• ')) items.push(line.slice(2));
      const m = /^_\+(\d+) more_$/.exec(line);
      if (m) more = Number(m[1]);
    }
  }
  return { items, more };
}

function bigListCard(count: number, item: (n: number) => string): Card {
  return {
    title: 'Big',
    accent: 'info',
    summary: 'big',
    blocks: [
      { type: 'text', text: 'intro' },
      { type: 'list', title: 'Things', items: Array.from({ length: count }, (_, n) => item(n)) },
      { type: 'divider' },
      { type: 'actions', buttons: [{ actionId: 'x.y', label: 'Go', value: '{}' }] },
    ],
  };
}

describe('renderSlackBlocks', () => {
  it('renders an incident card as header, sections, context, divider and buttons', () => {
    const card = buildIncidentCard({ incident: makeIncident(), alerts: [makeAlert(1), makeAlert(2)], diagnosis: [] });
    const message = renderSlackBlocks(card);
    expect(findSlackViolations(message)).toEqual([]);
    const blocks = message.blocks as Json[];
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '🔴 SuspiciousProcess' } });
    expect(message.text).toBe('[critical] SuspiciousProcess — 2 firing on web-1:9100, web-2:9100');
    const actions = blocks.filter((b) => b['type'] === 'actions');
    expect(actions).toHaveLength(1);
    expect(actions[0]!['elements'].map((e: Json) => [e['text'].text, e['action_id'], e['value']])).toEqual([
      ['Acknowledge', 'incident.acknowledge', '{"k":"inc-7f3a9c"}'],
      ['Isolate', 'incident.isolate', '{"k":"inc-7f3a9c"}'],
      ['Analyze', 'incident.analyze', '{"k":"inc-7f3a9c"}'],
      ['Recover', 'incident.recover', '{"k":"inc-7f3a9c"}'],
      ['Optimize', 'incident.optimize', '{"k":"inc-7f3a9c"}'],
      ['Resolve', 'incident.resolve', '{"k":"inc-7f3a9c"}'],
      ['Silence', 'incident.silence', '{"k":"inc-7f3a9c"}'],
      ['War room', 'incident.war-room', '{"k":"inc-7f3a9c"}'],
    ]);
    expect(actions[0]!['elements'][0].style).toBe('primary');
    expect(renderedList(message, 'Instances')).toEqual({ items: ['web-1:9100', 'web-2:9100'], more: 0 });
    expect(collectSlackMrkdwn(message)).toContain(
      '<http://alertmanager:9093/|Alertmanager · alertmanager:9093>',
    );
  });

  it('keeps a 5 000-alert incident within limits with "+N more"', () => {
    const alerts = Array.from({ length: 5000 }, (_, n) => makeAlert(n, { labels: { alertname: `Alert${n % 40}` } }));
    const card = buildIncidentCard({ incident: makeIncident({ firing: 5000 }), alerts, diagnosis: [] });
    const message = renderSlackBlocks(card);
    expect(findSlackViolations(message)).toEqual([]);
    expect(renderedList(message, 'Instances')).toEqual({ items: Array.from({ length: 10 }, (_, n) => `web-${n}:9100`), more: 4990 });
    expect(renderedList(message, 'Alert names').more).toBe(30);
  });

  it('splits a long list between items across sections and summarises what does not fit in 50 blocks', () => {
    const original = Array.from({ length: 5000 }, (_, n) => `host-${n}.example.internal:9100 (rack ${n % 17})`);
    const message = renderSlackBlocks(bigListCard(original.length, (n) => original[n]!));
    expect(findSlackViolations(message)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    const { items, more } = renderedList(message, 'Things');
    expect(items.length).toBeGreaterThan(500);
    // Every rendered item is a whole original item, in order, and the count adds up.
    expect(items).toEqual(original.slice(0, items.length));
    expect(items.length + more).toBe(5000);
    expect((message.blocks as Json[]).at(-1)!['type']).toBe('actions');
  });

  it('keeps a digest of 1 000 incidents within limits', () => {
    const incidents = Array.from({ length: 1000 }, (_, n) => makeIncident({ key: `inc-${n}`, title: `Alert${n}`, openedAt: n }));
    const message = renderSlackBlocks(buildDigestCard({ destination: 'slack:C0SEC', incidents, windowStart: 0, windowEnd: 60_000 }));
    expect(findSlackViolations(message)).toEqual([]);
    const { items, more } = renderedList(message, 'Incidents');
    expect(items).toHaveLength(30);
    expect(items[0]).toBe('[critical] Alert0 — 2 firing — key inc-0');
    expect(more).toBe(970);
  });

  it('cuts a single overlong item at a word boundary with an ellipsis, keeping a prefix of it', () => {
    const long = Array.from({ length: 900 }, (_, n) => `word${n}`).join(' ');
    const message = renderSlackBlocks(bigListCard(1, () => long));
    expect(findSlackViolations(message)).toEqual([]);
    const [item] = renderedList(message, 'Things').items;
    expect(item!.endsWith('…')).toBe(true);
    const kept = item!.slice(0, -1);
    expect(long.startsWith(kept)).toBe(true);
    expect(long[kept.length]).toBe(' ');
    expect(item!.length).toBeLessThanOrEqual(1500);
  });

  it('splits more than 10 fields and more than 25 buttons over several blocks', () => {
    const card: Card = {
      title: 'x'.repeat(400),
      accent: 'warning',
      summary: 's',
      blocks: [
        { type: 'fields', fields: Array.from({ length: 23 }, (_, n) => ({ label: `F${n}`, value: 'v'.repeat(5000) })) },
        { type: 'actions', buttons: Array.from({ length: 30 }, (_, n) => ({ actionId: `a.${n}`, label: 'L'.repeat(200), value: '{}', style: 'danger' as const })) },
      ],
    };
    const message = renderSlackBlocks(card);
    expect(findSlackViolations(message)).toEqual([]);
    const blocks = message.blocks as Json[];
    expect(blocks.filter((b) => b['fields']).map((b) => b['fields'].length)).toEqual([10, 10, 3]);
    expect(blocks.filter((b) => b['type'] === 'actions').map((b) => b['elements'].length)).toEqual([25, 5]);
    expect(blocks[0]!['text'].text.endsWith('…')).toBe(true);
  });

  it('refuses a button value it would have to cut', () => {
    const card: Card = { title: 't', accent: 'info', summary: 's', blocks: [{ type: 'actions', buttons: [{ actionId: 'a', label: 'A', value: 'v'.repeat(2001) }] }] };
    let caught: unknown;
    try {
      renderSlackBlocks(card);
    } catch (error) {
      caught = error;
    }
    expect(isWardenError(caught, 'card_invalid')).toBe(true);
  });

  it('stays within 50 blocks even when a card has too many fixed blocks', () => {
    const card: Card = {
      title: 't',
      accent: 'info',
      summary: 's',
      blocks: [
        ...Array.from({ length: 60 }, (_, n) => ({ type: 'text' as const, text: `para ${n}` })),
        { type: 'divider' },
        { type: 'actions', buttons: [{ actionId: 'a', label: 'A', value: '{}' }] },
      ],
    };
    const message = renderSlackBlocks(card);
    expect(findSlackViolations(message)).toEqual([]);
    const blocks = message.blocks as Json[];
    expect(blocks).toHaveLength(50);
    expect(blocks.at(-1)!['type']).toBe('actions');
    expect(blocks.at(-2)!['elements'][0].text).toContain('left out');
  });
});
