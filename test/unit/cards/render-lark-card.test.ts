import { describe, expect, it } from 'vitest';
import { buildDigestCard } from '../../../cards/build-digest-card.js';
import { buildIncidentCard } from '../../../cards/build-incident-card.js';
import type { Card } from '../../../cards/card.js';
import { renderLarkCard } from '../../../cards/render-lark-card.js';
import { isWardenError } from '../../../src/errors/warden-error.js';
import { collectLarkButtons, collectLarkMarkdown, decodeLarkEntities, larkBytes, makeAlert, makeIncident } from './card-test-helpers.js';

type Json = Record<string, any>;
const limit = 30 * 1024;

/** Items and "+N more" of the list titled `title`, decoded back to plain text. */
function renderedList(card: Json, title: string): { items: string[]; more: number } | undefined {
  const content = collectLarkMarkdown(card).find((c) => decodeLarkEntities(c.split('\n')[0]!) === `**${title}**`);
  if (content === undefined) return undefined;
  const lines = content.split('\n').slice(1);
  const more = lines.map((l) => /^\*\+(\d+) more\*$/.exec(l)).find(Boolean);
  return { items: lines.filter((l) => l.startsWith('• ')).map((l) => decodeLarkEntities(l.slice(2))), more: more ? Number(more[1]) : 0 };
}

function containsKey(node: unknown, key: string, value: unknown): boolean {
  if (Array.isArray(node)) return node.some((n) => containsKey(n, key, value));
  if (node === null || typeof node !== 'object') return false;
  return Object.entries(node).some(([k, v]) => (k === key && v === value) || containsKey(v, key, value));
}

describe('renderLarkCard', () => {
  it('renders card JSON 2.0 with header template, summary, markdown and callback buttons', () => {
    const card = buildIncidentCard({ incident: makeIncident(), alerts: [makeAlert(1), makeAlert(2)], diagnosis: [] });
    const lark = renderLarkCard(card) as Json;
    expect(lark['schema']).toBe('2.0');
    // A built card carries both languages: every text gains i18n_content, and config lists the locales.
    expect(lark['config']).toEqual({
      update_multi: true,
      summary: { content: card.summary, i18n_content: { en_us: card.summary, zh_cn: card.translations?.zh?.summary } },
      locales: ['en_us', 'zh_cn'],
    });
    expect(lark['header']).toEqual({
      title: { tag: 'plain_text', content: 'SuspiciousProcess', i18n_content: { en_us: 'SuspiciousProcess', zh_cn: 'SuspiciousProcess' } },
      template: 'red',
    });
    expect(Array.isArray(lark['body'].elements)).toBe(true);
    expect(lark['elements']).toBeUndefined();
    // JSON 2.0 has no `action` container.
    expect(containsKey(lark, 'tag', 'action')).toBe(false);
    expect(lark['body'].elements.some((el: Json) => el['tag'] === 'hr')).toBe(true);
    const buttons = collectLarkButtons(lark);
    expect(buttons.map((b) => b['text'].content)).toEqual(['Acknowledge', 'Isolate', 'Analyze', 'Recover', 'Optimize', 'Resolve', 'Silence', 'War room']);
    expect(buttons[0]!['behaviors']).toEqual([{ type: 'callback', value: { actionId: 'incident.acknowledge', value: { k: 'inc-7f3a9c' } } }]);
    expect(buttons.map((b) => b['behaviors'][0].value.actionId)).toEqual([
      'incident.acknowledge',
      'incident.isolate',
      'incident.analyze',
      'incident.recover',
      'incident.optimize',
      'incident.resolve',
      'incident.silence',
      'incident.war-room',
    ]);
    expect(buttons[0]!['type']).toBe('primary');
    expect(buttons[1]!['type']).toBe('default');
    expect(renderedList(lark, 'Instances')).toEqual({ items: ['web-1:9100', 'web-2:9100'], more: 0 });
    expect(collectLarkMarkdown(lark)).toContain(
      '[Alertmanager · alertmanager:9093](http://alertmanager:9093/)',
    );
  });

  it('maps accents to header templates and leaves a non-JSON button value as a string', () => {
    const accents = ['critical', 'warning', 'info', 'success', 'neutral'] as const;
    const templates = accents.map(
      (accent) => (renderLarkCard({ title: 't', accent, summary: 's', blocks: [] }) as Json)['header'].template,
    );
    expect(templates).toEqual(['red', 'orange', 'blue', 'green', 'grey']);
    const lark = renderLarkCard({ title: 't', accent: 'info', summary: 's', blocks: [{ type: 'actions', buttons: [{ actionId: 'a.b', label: 'B', value: 'plain' }] }] });
    expect(collectLarkButtons(lark)[0]!['behaviors'][0].value).toEqual({ actionId: 'a.b', value: 'plain' });
  });

  it('keeps a 5 000-alert incident and a 1 000-incident digest under 30 KB', () => {
    const alerts = Array.from({ length: 5000 }, (_, n) => makeAlert(n, { labels: { alertname: `Alert${n % 40}` } }));
    const incidentCard = renderLarkCard(buildIncidentCard({ incident: makeIncident({ firing: 5000 }), alerts, diagnosis: [] }));
    expect(larkBytes(incidentCard)).toBeLessThanOrEqual(limit);
    expect(renderedList(incidentCard, 'Instances')).toEqual({ items: Array.from({ length: 10 }, (_, n) => `web-${n}:9100`), more: 4990 });

    const incidents = Array.from({ length: 1000 }, (_, n) => makeIncident({ key: `inc-${n}`, title: `Alert${n}`, openedAt: n }));
    const digest = renderLarkCard(buildDigestCard({ destination: 'lark:oc_1', incidents, windowStart: 0, windowEnd: 60_000 }));
    expect(larkBytes(digest)).toBeLessThanOrEqual(limit);
    const list = renderedList(digest, 'Incidents');
    expect(list?.items).toHaveLength(30);
    expect(list?.more).toBe(970);
  });

  it('shrinks an oversized list into "+N more" until the card fits, never cutting an item', () => {
    const original = Array.from({ length: 5000 }, (_, n) => `host-${n}.example.internal:9100 (rack ${n % 17}) [a*b]`);
    const card: Card = {
      title: 'Big',
      accent: 'info',
      summary: 'big',
      blocks: [{ type: 'list', title: 'Things', items: original, moreCount: 7 }, { type: 'actions', buttons: [{ actionId: 'x', label: 'Go', value: '{"k":"1"}' }] }],
    };
    const lark = renderLarkCard(card);
    expect(larkBytes(lark)).toBeLessThanOrEqual(limit);
    const list = renderedList(lark, 'Things');
    expect(list!.items.length).toBeGreaterThan(50);
    expect(list!.items).toEqual(original.slice(0, list!.items.length));
    expect(list!.items.length + list!.more).toBe(5007);
    // It uses the room: one more item would not have fitted by much.
    expect(larkBytes(lark)).toBeGreaterThan(limit - 400);
    expect(collectLarkButtons(lark)).toHaveLength(1);
  });

  it('cuts long text to fit when shrinking lists is not enough', () => {
    const card: Card = {
      title: 'Text',
      accent: 'info',
      summary: 's',
      blocks: Array.from({ length: 12 }, (_, n) => ({ type: 'text' as const, text: `${n} ` + 'lorem ipsum '.repeat(400) })),
    };
    const lark = renderLarkCard(card);
    expect(larkBytes(lark)).toBeLessThanOrEqual(limit);
    const contents = collectLarkMarkdown(lark);
    expect(contents).toHaveLength(12);
    for (const content of contents) expect(content.endsWith('…')).toBe(true);
  });

  it('throws card_too_large when even an emptied card cannot fit', () => {
    const buttons = Array.from({ length: 400 }, (_, n) => ({ actionId: `a.${n}`, label: 'Button', value: JSON.stringify({ pad: 'x'.repeat(200) }) }));
    let caught: unknown;
    try {
      renderLarkCard({ title: 't', accent: 'info', summary: 's', blocks: [{ type: 'actions', buttons }] });
    } catch (error) {
      caught = error;
    }
    expect(isWardenError(caught, 'card_too_large')).toBe(true);
  });
});
