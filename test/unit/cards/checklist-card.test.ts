import { describe, expect, it } from 'vitest';
import { buildChecklistCard, CHECKLIST_DONE_ACTION_ID, CHECKLIST_RECHECK_ACTION_ID, CHECKLIST_SKIP_ACTION_ID } from '../../../cards/build-checklist-card.js';
import type { Card, CardBlock } from '../../../cards/card.js';
import { renderConsoleText } from '../../../cards/render-console-text.js';
import { renderLarkCard } from '../../../cards/render-lark-card.js';
import { renderSlackBlocks } from '../../../cards/render-slack-blocks.js';
import type { RunItem, RunView } from '../../../src/model/checklist-run.js';
import { loadChecklists } from '../../../src/checklists/load-checklists.js';
import { parseChecklistButtonValue } from '../../../src/inbound/checklist-buttons.js';
import { buildTestRun, makeRunItem, makeRunView, RUN_STARTED_AT, SHIPPED_CHECKLISTS, TEST_REASONS } from '../../support/checklist-test-runs.js';
import { collectLarkButtons, collectLarkMarkdown, collectLarkSelects, collectSlackMrkdwn, decodeLarkEntities, findSlackViolations, larkBytes } from './card-test-helpers.js';

type Json = Record<string, any>;
type ActionsBlock = Extract<CardBlock, { type: 'actions' }>;

const MINUTE = 60_000;
const at = RUN_STARTED_AT + 30 * MINUTE; // 2026-11-20 10:30 UTC
const shipped = loadChecklists(SHIPPED_CHECKLISTS, { actions: {} });

/** One item in each state a run can hold. */
const items: RunItem[] = [
  makeRunItem('review-access', { title: 'Review who is in each access group', guidance: 'Remove people who left.' }),
  makeRunItem('tls', { title: 'TLS certificates', guidance: 'Valid 21 more days.', note: 'no automated check here: configure the probe action "tls-certificate" to check it automatically' }),
  makeRunItem('data-disk', { title: 'Data disk', guidance: 'Below 80 %.', check: 'disk-usage' }),
  makeRunItem('redis', { title: 'Redis durability', guidance: 'appendonly yes.', check: 'redis-config', state: 'failed', by: 'warden', at, evidence: 'appendonly no: data is lost on restart' }),
  makeRunItem('log-size', { title: 'Log size', guidance: 'Under 10 GiB.', check: 'disk-usage', state: 'passed', by: 'warden', at, evidence: '/var/log holds 704 KiB (max 10 GiB)' }),
  makeRunItem('backups', { title: 'Backups restored', guidance: 'Restore one.', state: 'passed', by: 'slack:U0BOB', at }),
  makeRunItem('firewall', { title: 'Firewall rules', guidance: 'Only 443.', state: 'skipped', by: 'lark:ou_carol', at, reason: 'Covered by another control' }),
];

const card = (view: RunView, now = RUN_STARTED_AT + MINUTE): Card => buildChecklistCard({ view, now });
const actionsBlocks = (c: Card): ActionsBlock[] => c.blocks.filter((b): b is ActionsBlock => b.type === 'actions');
const texts = (c: Card): string[] => c.blocks.flatMap((b) => (b.type === 'text' ? [b.text] : []));
const contexts = (c: Card): string[] => c.blocks.flatMap((b) => (b.type === 'context' ? [b.text] : []));
const field = (c: Card, label: string): string | undefined => c.blocks.flatMap((b) => (b.type === 'fields' ? b.fields : [])).find((f) => f.label === label)?.value;
/** Each item's text block and the actions block right after it, if any. */
function itemBlocks(c: Card): Map<string, { text: string; actions?: ActionsBlock }> {
  const found = new Map<string, { text: string; actions?: ActionsBlock }>();
  c.blocks.forEach((block, i) => {
    if (block.type !== 'text') return;
    const next = c.blocks[i + 1];
    const id = items.find((item) => block.text.includes(item.title))?.id ?? block.text;
    found.set(id, { text: block.text, ...(next?.type === 'actions' ? { actions: next } : {}) });
  });
  return found;
}

describe('checklist card: items by state', () => {
  const open = card(makeRunView(items));
  const byItem = itemBlocks(open);

  it('has one text block per item, in run order, with its state mark', () => {
    expect(texts(open).map((text) => text.split('\n')[0])).toEqual([
      '☐ Review who is in each access group',
      '☐ TLS certificates',
      '☐ Data disk [auto: disk-usage]',
      '❌ Redis durability [auto: redis-config]',
      '✅ Log size [auto: disk-usage]',
      '✅ Backups restored',
      '⊘ Firewall rules',
    ]);
  });

  it('an open manual item: its guidance and note, Done and the N/A menu of the run\'s reasons', () => {
    expect(byItem.get('review-access')?.text).toBe('☐ Review who is in each access group\n   Remove people who left.');
    expect(byItem.get('tls')?.text).toContain('\n   (no automated check here: configure the probe action "tls-certificate" to check it automatically)');
    const actions = byItem.get('review-access')?.actions;
    expect(actions?.buttons).toEqual([{ actionId: CHECKLIST_DONE_ACTION_ID, label: 'Done', value: '{"r":"weekly-test-1","i":"review-access"}', style: 'primary' }]);
    expect(actions?.select).toEqual({
      actionId: CHECKLIST_SKIP_ACTION_ID,
      placeholder: 'N/A …',
      options: TEST_REASONS.map((label, o) => ({ label, value: `{"r":"weekly-test-1","i":"review-access","o":${o}}` })),
    });
  });

  it('an open automated item: "checking…", Re-check and the N/A menu', () => {
    const { text, actions } = byItem.get('data-disk')!;
    expect(text).toBe('☐ Data disk [auto: disk-usage]\n   checking…\n   Below 80 %.');
    expect(actions?.buttons).toEqual([{ actionId: CHECKLIST_RECHECK_ACTION_ID, label: 'Re-check', value: '{"r":"weekly-test-1","i":"data-disk"}' }]);
    expect(actions?.select?.options).toHaveLength(TEST_REASONS.length);
  });

  it('a failed check: its evidence, Re-check and the N/A menu (a failure is fixed or knowingly waived)', () => {
    const { text, actions } = byItem.get('redis')!;
    expect(text).toBe('❌ Redis durability [auto: redis-config]\n   appendonly no: data is lost on restart');
    expect(actions?.buttons.map((b) => b.actionId)).toEqual([CHECKLIST_RECHECK_ACTION_ID]);
    expect(actions?.select?.actionId).toBe(CHECKLIST_SKIP_ACTION_ID);
  });

  it('passed and skipped items: evidence, who and when, the N/A reason — and no buttons', () => {
    expect(byItem.get('log-size')).toEqual({ text: '✅ Log size [auto: disk-usage]\n   /var/log holds 704 KiB (max 10 GiB)' });
    expect(byItem.get('backups')).toEqual({ text: '✅ Backups restored\n   done by slack:U0BOB, 2026-11-20 10:30 UTC' });
    expect(byItem.get('firewall')).toEqual({ text: '⊘ Firewall rules\n   N/A: Covered by another control (lark:ou_carol, 2026-11-20 10:30 UTC)' });
    expect(actionsBlocks(open)).toHaveLength(4);
  });

  it('shows progress, due time, who started it and the run id; free-text N/A is explained', () => {
    expect(field(open, 'Progress')).toBe('3 of 7 resolved (2 passed, 1 failed, 1 N/A)');
    expect(field(open, 'Status')).toBe('due 2026-11-21 10:00 UTC');
    expect(field(open, 'Started')).toBe('2026-11-20 10:00 UTC by slack:U0ALICE');
    expect(field(open, 'Run')).toBe('weekly-test-1');
    expect(contexts(open)).toContain('Free-text N/A: /audit skip weekly-test-1 <item> <reason>');
    expect(open.title).toBe('Weekly security self-audit');
    expect(open.summary).toBe('Weekly security self-audit: 3/7 resolved, 1 failed');
    expect(open.accent).toBe('warning');
    const clean = card(makeRunView(items.filter((item) => item.state !== 'failed')));
    expect(clean.accent).toBe('info');
    expect(clean.summary).toBe('Weekly security self-audit: 3/6 resolved');
  });

  it('a run past its due time is overdue (title, status, summary, accent); at the due time it is not yet', () => {
    const view = makeRunView(items.filter((item) => item.state !== 'failed'));
    const dueAt = view.run.dueAt;
    const late = card(view, dueAt + 1);
    expect(late.title).toBe('⏰ Weekly security self-audit');
    expect(field(late, 'Status')).toBe('OVERDUE since 2026-11-21 10:00 UTC');
    expect(late.summary).toBe('Weekly security self-audit: 3/6 resolved, overdue');
    expect(late.accent).toBe('warning');
    expect(actionsBlocks(late)).toHaveLength(3);
    const onTime = card(view, dueAt);
    expect(onTime.title).toBe('Weekly security self-audit');
    expect(field(onTime, 'Status')).toBe('due 2026-11-21 10:00 UTC');
  });

  it('a complete run: success accent, completed time, no buttons and no N/A hint, even long after its due time', () => {
    const done = items.map((item): RunItem => (item.state === 'open' || item.state === 'failed' ? { ...item, state: 'passed', by: 'slack:U0BOB', at } : item));
    const view = makeRunView(done, { view: { completedAt: at + MINUTE } });
    const complete = card(view, view.run.dueAt + 10 * 86_400_000);
    expect(complete.title).toBe('✅ Weekly security self-audit');
    expect(complete.accent).toBe('success');
    expect(field(complete, 'Status')).toBe('complete 2026-11-20 10:31 UTC');
    expect(field(complete, 'Progress')).toBe('7 of 7 resolved (6 passed, 0 failed, 1 N/A)');
    expect(actionsBlocks(complete)).toEqual([]);
    expect(contexts(complete).join('\n')).not.toContain('/audit skip');
    expect(renderSlackBlocks(complete).blocks.filter((b) => b['type'] === 'actions')).toEqual([]);
    expect(collectLarkButtons(renderLarkCard(complete))).toEqual([]);
    expect(collectLarkSelects(renderLarkCard(complete))).toEqual([]);
  });

  it('says a scheduled run started late when its slot is more than 10 minutes before its start', () => {
    const scheduled = (slot: number) => card(makeRunView(items, { run: { trigger: 'schedule', requestedBy: 'schedule', slot } }));
    const late = scheduled(RUN_STARTED_AT - 11 * MINUTE);
    expect(contexts(late)).toContain('Started late: this run was scheduled for 2026-11-20 09:49 UTC.');
    expect(field(late, 'Started')).toBe('2026-11-20 10:00 UTC by schedule');
    for (const slot of [RUN_STARTED_AT - 10 * MINUTE, RUN_STARTED_AT]) expect(contexts(scheduled(slot)).join('\n')).not.toContain('Started late');
    expect(contexts(card(makeRunView(items))).join('\n')).not.toContain('Started late');
  });
});

describe('checklist card: the shipped predeploy checklist on every platform', () => {
  const predeploy = shipped.get('predeploy')!;
  const view = buildTestRun(predeploy);
  const c = card(view);

  it('is a run of every item, all open, with the four default N/A reasons', () => {
    expect(view.items.length).toBeGreaterThanOrEqual(20);
    expect(view.run.skipReasons).toEqual(TEST_REASONS);
    expect(actionsBlocks(c)).toHaveLength(view.items.length);
  });

  it('renders for Slack within Block Kit limits and 50 blocks, one actions block per item', () => {
    const message = renderSlackBlocks(c);
    expect(findSlackViolations(message)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(message.blocks.filter((b) => b['type'] === 'actions')).toHaveLength(view.items.length);
    // Started late adds a block: still within the limit.
    const late = renderSlackBlocks(card(buildTestRun(predeploy, { run: { trigger: 'schedule', requestedBy: 'schedule', slot: RUN_STARTED_AT - 3_600_000 } })));
    expect(findSlackViolations(late)).toEqual([]);
    expect(late.blocks.filter((b) => b['type'] === 'actions')).toHaveLength(view.items.length);
  });

  it('renders for Lark within 30 KB, with a button and a select per item', () => {
    const lark = renderLarkCard(c);
    expect(larkBytes(lark)).toBeLessThanOrEqual(30 * 1024);
    expect(collectLarkButtons(lark)).toHaveLength(view.items.length);
    expect(collectLarkSelects(lark)).toHaveLength(view.items.length);
    // Nothing was cut to fit: every item's title is there.
    const markdown = collectLarkMarkdown(lark).map(decodeLarkEntities).join('\n');
    for (const item of view.items) expect(markdown).toContain(item.title);
  });

  it('renders for the console with every item and its controls', () => {
    const text = renderConsoleText(c);
    expect(text).toContain('Pre-deployment security checklist');
    expect(text.match(/\[Done\]/g)?.length).toBe(view.items.filter((item) => item.check === undefined).length);
    expect(text.match(/\[Re-check\]/g)?.length).toBe(view.items.filter((item) => item.check !== undefined).length);
    expect(text.match(/N\/A …: Not applicable here/g)?.length).toBe(view.items.length);
  });

  it('every Slack button and option value parses back to its run, item and reason', () => {
    const actions = (renderSlackBlocks(c).blocks as Json[]).filter((block) => block['type'] === 'actions');
    // One actions block per open item, in run order.
    expect(actions).toHaveLength(view.items.length);
    actions.forEach((block, n) => {
      const item = view.items[n]!;
      const [button, select, ...rest] = block['elements'] as Json[];
      expect(rest).toEqual([]);
      expect(button?.['action_id']).toBe(item.check ? CHECKLIST_RECHECK_ACTION_ID : CHECKLIST_DONE_ACTION_ID);
      expect(parseChecklistButtonValue(button?.['value'])).toEqual({ runId: view.run.id, itemId: item.id });
      expect(select?.['action_id']).toBe(CHECKLIST_SKIP_ACTION_ID);
      const options = select?.['options'] as Json[];
      expect(options.map((option) => option['text']['text'])).toEqual(view.run.skipReasons);
      options.forEach((option, o) => expect(parseChecklistButtonValue(option['value'], true)).toEqual({ runId: view.run.id, itemId: item.id, reason: o }));
    });
  });

  it('every Lark button and option value parses back the way the Lark inbound handler reads it', () => {
    const lark = renderLarkCard(c);
    const buttons = collectLarkButtons(lark).map((button) => button['behaviors'][0]['value'] as Json);
    // The renderer turns a JSON button value into an object; the inbound side stringifies it again.
    expect(buttons.map((value) => [value['actionId'], parseChecklistButtonValue(JSON.stringify(value['value']))])).toEqual(
      view.items.map((item) => [item.check ? CHECKLIST_RECHECK_ACTION_ID : CHECKLIST_DONE_ACTION_ID, { runId: view.run.id, itemId: item.id }]),
    );
    const selects = collectLarkSelects(lark);
    expect(selects.map((select) => select['behaviors'][0]['value'])).toEqual(view.items.map(() => ({ actionId: CHECKLIST_SKIP_ACTION_ID })));
    selects.forEach((select, n) => {
      expect((select['options'] as Json[]).map((option) => parseChecklistButtonValue(option['value'], true))).toEqual(
        TEST_REASONS.map((_, o) => ({ runId: view.run.id, itemId: view.items[n]!.id, reason: o })),
      );
    });
  });

  it('a scheduled run\'s id (from its slot) parses back too', () => {
    const scheduled = buildTestRun(predeploy, { run: { id: `predeploy-s${(RUN_STARTED_AT - 3_600_000).toString(36)}`, trigger: 'schedule', requestedBy: 'schedule' } });
    const first = actionsBlocks(card(scheduled))[0]!;
    expect(parseChecklistButtonValue(first.buttons[0]!.value)).toEqual({ runId: scheduled.run.id, itemId: scheduled.items[0]!.id });
    expect(parseChecklistButtonValue(first.select!.options[3]!.value, true)).toEqual({ runId: scheduled.run.id, itemId: scheduled.items[0]!.id, reason: 3 });
  });
});

describe('checklist card: item text cannot format, mention or link', () => {
  const hostile = '<!channel> *bold* <at id=all></at> [x](https://evil.example) _it_';
  const view = makeRunView([
    makeRunItem('markup', { title: `Title ${hostile}`, guidance: `Guidance ${hostile}`, note: `Note ${hostile}` }),
    makeRunItem('evidence', { check: 'http-check', state: 'failed', evidence: `Evidence ${hostile}` }),
    makeRunItem('reason', { state: 'skipped', by: 'slack:U0BOB', at, reason: `Reason ${hostile}` }),
  ], { run: { title: `Run ${hostile}`, requestedBy: 'slack:U0ALICE' } });
  const c = card(view);

  it('on Slack: every mrkdwn text is escaped, and the plain-text header is not parsed', () => {
    const message = renderSlackBlocks(c);
    expect(findSlackViolations(message)).toEqual([]);
    const mrkdwn = collectSlackMrkdwn(message);
    const all = mrkdwn.join('\n');
    for (const word of ['Title', 'Guidance', 'Note', 'Evidence', 'Reason']) expect(all).toContain(`${word} &lt;!channel&gt; \u200b*bold\u200b* &lt;at id=all&gt;&lt;/at&gt;`);
    expect(all).not.toContain('<!channel>');
    expect(all).not.toMatch(/(^|[^\u200b])\*bold/);
    expect(all).not.toContain('<at');
    expect(all).not.toContain('<https://');
    expect(message.text).not.toContain('<!channel>');
    expect((message.blocks[0] as Json)['text']['type']).toBe('plain_text');
  });

  it('on Lark: markdown holds no tag, emphasis or link, and decodes back to the text', () => {
    const lark = renderLarkCard(c);
    const markdown = collectLarkMarkdown(lark);
    const all = markdown.join('\n');
    expect(all).not.toContain('<at');
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('*bold*');
    expect(all).not.toContain('](');
    const decoded = markdown.map(decodeLarkEntities).join('\n');
    for (const word of ['Title', 'Guidance', 'Note', 'Evidence', 'Reason']) expect(decoded).toContain(`${word} ${hostile}`);
    expect((lark['header'] as Json)['title']['tag']).toBe('plain_text');
  });
});

describe('parseChecklistButtonValue', () => {
  it('reads a button value, and an option value with its reason index', () => {
    expect(parseChecklistButtonValue('{"r":"weekly-m3k9x2a1-4f2c","i":"log-size"}')).toEqual({ runId: 'weekly-m3k9x2a1-4f2c', itemId: 'log-size' });
    expect(parseChecklistButtonValue('{"r":"weekly-s1a2b3","i":"log-size","o":0}', true)).toEqual({ runId: 'weekly-s1a2b3', itemId: 'log-size', reason: 0 });
    expect(parseChecklistButtonValue('{"r":"weekly-s1a2b3","i":"log-size","o":9}', true)).toEqual({ runId: 'weekly-s1a2b3', itemId: 'log-size', reason: 9 });
    // A button ignores a reason; a menu option needs one.
    expect(parseChecklistButtonValue('{"r":"weekly-s1a2b3","i":"log-size","o":2}')).toEqual({ runId: 'weekly-s1a2b3', itemId: 'log-size' });
    expect(parseChecklistButtonValue('{"r":"weekly-s1a2b3","i":"log-size"}', true)).toBeUndefined();
  });

  it('rejects bad run and item ids', () => {
    for (const [r, i] of [
      ['Weekly-1', 'log-size'],
      ['weekly 1', 'log-size'],
      ['weekly:1', 'log-size'],
      ['', 'log-size'],
      ['w'.repeat(65), 'log-size'],
      ['weekly-1', 'Log_Size'],
      ['weekly-1', '../x'],
      ['weekly-1', ''],
      ['weekly-1', 'i'.repeat(49)],
    ]) {
      expect(parseChecklistButtonValue(JSON.stringify({ r, i })), `${r} ${i}`).toBeUndefined();
      expect(parseChecklistButtonValue(JSON.stringify({ r, i, o: 0 }), true), `${r} ${i}`).toBeUndefined();
    }
    expect(parseChecklistButtonValue(JSON.stringify({ r: 'w'.repeat(64), i: 'i'.repeat(48) }))).toEqual({ runId: 'w'.repeat(64), itemId: 'i'.repeat(48) });
  });

  it('rejects wrong types and out-of-range reasons', () => {
    for (const value of [
      { r: 1, i: 'log-size' },
      { r: 'weekly-1', i: ['log-size'] },
      { r: 'weekly-1' },
      { i: 'log-size' },
      { run: 'weekly-1', item: 'log-size' },
    ]) {
      expect(parseChecklistButtonValue(JSON.stringify(value)), JSON.stringify(value)).toBeUndefined();
    }
    for (const o of ['1', 1.5, -1, 10, 1e9, null, true]) {
      expect(parseChecklistButtonValue(JSON.stringify({ r: 'weekly-1', i: 'log-size', o }), true), String(o)).toBeUndefined();
    }
  });

  it('rejects values over 200 characters, even valid JSON', () => {
    const padded = JSON.stringify({ r: 'weekly-1', i: 'log-size', pad: 'x'.repeat(200) });
    expect(parseChecklistButtonValue(padded)).toBeUndefined();
    const justFits = JSON.stringify({ r: 'weekly-1', i: 'log-size', pad: '' }).replace('""', `"${'x'.repeat(200 - 40)}"`);
    expect(justFits.length).toBeLessThanOrEqual(200);
    expect(parseChecklistButtonValue(justFits)).toEqual({ runId: 'weekly-1', itemId: 'log-size' });
  });

  it('rejects anything that is not a JSON object', () => {
    for (const value of ['', 'weekly-1', '{', '{"r":"weekly-1",', 'null', '[]', '["weekly-1","log-size"]', '"weekly-1"', '42', 'true', 'undefined']) {
      expect(parseChecklistButtonValue(value), value).toBeUndefined();
      expect(parseChecklistButtonValue(value, true), value).toBeUndefined();
    }
  });
});
