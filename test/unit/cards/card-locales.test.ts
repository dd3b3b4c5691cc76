import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { buildChecklistCard } from '../../../cards/build-checklist-card.js';
import { buildIncidentCard } from '../../../cards/build-incident-card.js';
import { checklistSchema } from '../../../src/checklists/checklist-schema.js';
import type { RunItem } from '../../../src/model/checklist-run.js';
import { renderConsoleText } from '../../../cards/render-console-text.js';
import { renderLarkCard } from '../../../cards/render-lark-card.js';
import { renderSlackBlocks } from '../../../cards/render-slack-blocks.js';
import { collectLarkButtons, makeAlert, makeIncident } from './card-test-helpers.js';

type Json = Record<string, any>;

const card = buildIncidentCard({
  incident: makeIncident({ phase: 'isolate' }),
  alerts: [makeAlert(1), makeAlert(2)],
  diagnosis: [],
  playbook: { title: 'Host compromise', steps: [{ id: 'snap', title: 'Snapshot the host', state: 'open' }] },
  approvals: [{ id: 'r1', title: 'Block egress', requestedBy: 'slack:U0ALICE', expiresAt: Date.parse('2026-11-20T10:30:00Z'), runs: ['POST /block'] }],
});

/** Every text object (plain_text or markdown) of a Lark card, wherever it is nested. */
function collectLarkTexts(node: unknown, found: Json[] = []): Json[] {
  if (Array.isArray(node)) node.forEach((n) => collectLarkTexts(n, found));
  else if (node !== null && typeof node === 'object') {
    const tag = (node as Json)['tag'];
    if ((tag === 'plain_text' || tag === 'markdown') && typeof (node as Json)['content'] === 'string') found.push(node as Json);
    Object.values(node).forEach((v) => collectLarkTexts(v, found));
  }
  return found;
}

describe('cards in English and Chinese', () => {
  it('renders a Lark incident card carrying both languages in the header, every button and every text', () => {
    const lark = renderLarkCard(card) as Json;
    expect(lark['config'].locales).toEqual(['en_us', 'zh_cn']);
    expect(lark['header'].title.i18n_content).toEqual({ en_us: 'SuspiciousProcess', zh_cn: 'SuspiciousProcess' });
    const buttons = collectLarkButtons(lark);
    expect(buttons.length).toBeGreaterThanOrEqual(10);
    for (const button of buttons) {
      const texts = button['text'].i18n_content;
      expect(typeof texts.en_us).toBe('string');
      expect(typeof texts.zh_cn).toBe('string');
      expect(button['text'].content).toBe(texts.en_us);
    }
    const labels = buttons.map((b) => b['text'].i18n_content);
    expect(labels).toContainEqual({ en_us: 'Acknowledge', zh_cn: '确认' });
    expect(labels).toContainEqual({ en_us: 'Resolve', zh_cn: '解决' });
    expect(labels).toContainEqual({ en_us: 'Done: Snapshot the host', zh_cn: '完成：Snapshot the host' });
    expect(labels).toContainEqual({ en_us: 'Approve: Block egress', zh_cn: '批准：Block egress' });
    // A text that reads the same in both languages (alert content) is written once, as `content`.
    const texts = collectLarkTexts(lark);
    for (const text of texts.filter((t) => t['i18n_content'] !== undefined)) expect(Object.keys(text['i18n_content'])).toEqual(['en_us', 'zh_cn']);
    expect(texts.filter((t) => t['i18n_content'] !== undefined).length).toBeGreaterThan(15);
    const markdown = collectLarkTexts(lark['body']).map((t) => (t['i18n_content']?.zh_cn ?? t['content']) as string).join('\n');
    expect(markdown).toContain('级别');
    expect(markdown).toContain('隔离');
    // Alert content is never translated.
    expect(markdown).toContain('web-1:9100');
    expect(lark['config'].summary.i18n_content.zh_cn).toContain('SuspiciousProcess');
  });

  it('keeps the buttons and their values the same in every language', () => {
    const zh = card.translations?.zh;
    expect(zh).toBeDefined();
    const values = (c: typeof card) => c.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons.map((x) => `${x.actionId} ${x.value}`) : []));
    expect(values(zh!)).toEqual(values(card));
    expect(zh!.blocks.map((b) => b.type)).toEqual(card.blocks.map((b) => b.type));
  });

  it('renders Slack in the configured locale: English by default, Chinese with zh', () => {
    const english = JSON.stringify(renderSlackBlocks(card));
    expect(english).toContain('Acknowledge');
    expect(english).toContain('Severity');
    expect(english).not.toContain('确认');
    const chinese = renderSlackBlocks(card, 'zh');
    const text = JSON.stringify(chinese);
    expect(text).toContain('"text":"确认"');
    expect(text).toContain('级别');
    expect(text).not.toContain('"text":"Acknowledge"');
    expect(chinese.text).toContain('SuspiciousProcess');
  });

  it('renders the console in the configured locale', () => {
    expect(renderConsoleText(card, { width: 120 })).toContain('[Acknowledge]');
    const chinese = renderConsoleText(card, { width: 120, locale: 'zh' });
    expect(chinese).toContain('[确认]');
    expect(chinese).toContain('[解决]');
    expect(chinese).not.toContain('[Acknowledge]');
  });

  it('sends a card too large for both languages in English rather than not at all', () => {
    // The pre-deployment checklist at its largest (what checkCardFits checks) fits 30 KB in one language only.
    const checklist = checklistSchema.parse(parse(readFileSync(new URL('../../../checklists/predeploy.yaml', import.meta.url), 'utf8')));
    const run = { id: 'predeploy-zzzzzzzzz-ffff', checklistId: checklist.id, title: checklist.title, trigger: 'command' as const, requestedBy: `lark:ou_${'f'.repeat(32)}`, slot: 0, startedAt: 86_400_000, dueAt: 172_800_000, destinations: [], itemIds: checklist.items.map((item) => item.id), skipReasons: checklist.skipReasons };
    const items = checklist.items.map((item): RunItem =>
      item.check === undefined
        ? { id: item.id, title: item.title, guidance: item.guidance, state: 'open', note: 'n'.repeat(120) }
        : { id: item.id, title: item.title, guidance: item.guidance, check: 'k'.repeat(20), state: 'failed', by: 'warden', at: 0, evidence: 'e'.repeat(300) },
    );
    const big = buildChecklistCard({ view: { run, items, version: 1 }, now: 0 });
    const lark = renderLarkCard(big) as Json;
    expect(Buffer.byteLength(JSON.stringify(lark))).toBeLessThanOrEqual(30 * 1024);
    expect(lark['config'].locales).toBeUndefined();
    expect(collectLarkButtons(lark).map((b) => b['text'].content)).toContain('Done');
    // A smaller run of the same checklist carries both languages.
    const small = buildChecklistCard({ view: { run: { ...run, itemIds: run.itemIds.slice(0, 3) }, items: items.slice(0, 3), version: 1 }, now: 0 });
    expect((renderLarkCard(small) as Json)['config'].locales).toEqual(['en_us', 'zh_cn']);
  });

  it('shows a card without translations as it is in every locale', () => {
    const plain = { title: 'Hello', accent: 'info' as const, summary: 'Hello', blocks: [{ type: 'text' as const, text: 'world' }] };
    expect(renderConsoleText(plain, { locale: 'zh' })).toContain('world');
    expect((renderLarkCard(plain) as Json)['config'].locales).toBeUndefined();
  });
});
