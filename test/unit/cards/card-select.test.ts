import { describe, expect, it } from 'vitest';
import type { Card, CardBlock, CardButton, CardSelect, CardSelectOption } from '../../../cards/card.js';
import { renderConsoleText } from '../../../cards/render-console-text.js';
import { renderLarkCard } from '../../../cards/render-lark-card.js';
import { renderSlackBlocks } from '../../../cards/render-slack-blocks.js';
import { isWardenError } from '../../../src/errors/warden-error.js';
import { collectLarkButtons, collectLarkMarkdown, collectLarkSelects, collectSlackMrkdwn, findSlackViolations, larkBytes } from './card-test-helpers.js';

type Json = Record<string, any>;

const reasons = [
  ['Not applicable here', 'not-applicable'],
  ['Covered by another control', 'covered'],
  ['Accepted risk', 'accepted-risk'],
  ['Not deployed', 'not-deployed'],
] as const;

/** The "N/A …" menu of one checklist item: each option's value carries the whole payload. */
function naSelect(item: string, options: CardSelectOption[] = reasons.map(([label, why]) => ({ label, value: JSON.stringify({ r: 'run-1', i: item, why }) }))): CardSelect {
  return { actionId: 'checklist.na', placeholder: 'N/A …', options };
}

function doneButton(item: string): CardButton {
  return { actionId: 'checklist.done', label: 'Done', value: JSON.stringify({ r: 'run-1', i: item }), style: 'primary' };
}

function cardWith(...blocks: CardBlock[]): Card {
  return { title: 'Weekly checklist', accent: 'info', summary: 'Weekly checklist: 2 open', blocks };
}

const itemBlocks = (item: string): CardBlock[] => [
  { type: 'text', text: `Item ${item}` },
  { type: 'actions', buttons: [doneButton(item)], select: naSelect(item) },
];

function caught(render: () => unknown): unknown {
  try {
    render();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('select menus on Slack', () => {
  it('renders a static_select after the buttons, in the same actions block, within Block Kit limits', () => {
    const message = renderSlackBlocks(cardWith(...itemBlocks('i1'), ...itemBlocks('i2')));
    expect(findSlackViolations(message)).toEqual([]);
    const actions = (message.blocks as Json[]).filter((block) => block['type'] === 'actions');
    expect(actions).toHaveLength(2);
    expect(actions[0]!['elements'].map((el: Json) => el['type'])).toEqual(['button', 'static_select']);
    expect(actions[0]!['elements'][1]).toEqual({
      type: 'static_select',
      action_id: 'checklist.na',
      placeholder: { type: 'plain_text', text: 'N/A …' },
      options: reasons.map(([label, why]) => ({ text: { type: 'plain_text', text: label }, value: `{"r":"run-1","i":"i1","why":"${why}"}` })),
    });
    expect(actions[1]!['elements'][1].options[0].value).toBe('{"r":"run-1","i":"i2","why":"not-applicable"}');
  });

  it('keeps the select with its block when the buttons fill an actions block', () => {
    const buttons = (n: number) => Array.from({ length: n }, (_, i) => ({ actionId: `b.${i}`, label: `B${i}`, value: `${i}` }));
    const full = renderSlackBlocks(cardWith({ type: 'actions', buttons: buttons(25), select: naSelect('i1') }));
    expect(findSlackViolations(full)).toEqual([]);
    const fullActions = (full.blocks as Json[]).filter((block) => block['type'] === 'actions');
    expect(fullActions.map((block) => block['elements'].length)).toEqual([25, 1]);
    expect(fullActions[1]!['elements'][0].type).toBe('static_select');

    const fits = renderSlackBlocks(cardWith({ type: 'actions', buttons: buttons(24), select: naSelect('i1') }));
    const fitsActions = (fits.blocks as Json[]).filter((block) => block['type'] === 'actions');
    expect(fitsActions.map((block) => block['elements'].length)).toEqual([25]);
    expect(fitsActions[0]!['elements'][24].type).toBe('static_select');

    const alone = renderSlackBlocks(cardWith({ type: 'actions', buttons: [], select: naSelect('i1') }));
    expect((alone.blocks as Json[]).filter((block) => block['type'] === 'actions').map((block) => block['elements'].map((el: Json) => el['type']))).toEqual([['static_select']]);
  });

  it('stays within 50 blocks for a long checklist, every select kept beside its Done button', () => {
    // Two blocks per item: 24 items and the header fill 49 of Slack's 50 blocks without dropping any.
    const blocks = Array.from({ length: 24 }, (_, n) => itemBlocks(`i${n}`)).flat();
    const message = renderSlackBlocks(cardWith(...blocks));
    expect(findSlackViolations(message)).toEqual([]);
    const actions = (message.blocks as Json[]).filter((b) => b['type'] === 'actions');
    expect(actions).toHaveLength(24);
    for (const block of actions) expect(block['elements'].map((el: Json) => el['type'])).toEqual(['button', 'static_select']);
  });

  it('draws nothing for a select without options, and works without one (existing cards)', () => {
    const empty = renderSlackBlocks(cardWith({ type: 'actions', buttons: [], select: naSelect('i1', []) }));
    expect((empty.blocks as Json[]).some((block) => block['type'] === 'actions')).toBe(false);
    const buttonsOnly = renderSlackBlocks(cardWith({ type: 'actions', buttons: [doneButton('i1')], select: naSelect('i1', []) }));
    expect((buttonsOnly.blocks as Json[]).find((block) => block['type'] === 'actions')!['elements'].map((el: Json) => el['type'])).toEqual(['button']);
  });

  it('keeps labels and placeholder plain text: mentions cannot ping, formatting stays literal, long text is cut', () => {
    const select: CardSelect = {
      actionId: 'checklist.na',
      placeholder: '<!here> N/A\u001b[2J …',
      options: [
        { label: '<!channel>', value: 'a' },
        { label: '**x** _y_ <@U0BOSS> <https://evil.example|click>', value: 'b' },
        { label: 'x'.repeat(200), value: 'c' },
        { label: '\u202e\u0007', value: 'only-controls' },
      ],
    };
    const message = renderSlackBlocks(cardWith({ type: 'actions', buttons: [], select }));
    expect(findSlackViolations(message)).toEqual([]);
    const element = (message.blocks as Json[]).find((block) => block['type'] === 'actions')!['elements'][0];
    expect(element.placeholder).toEqual({ type: 'plain_text', text: '<\u200b!here> N/A[2J …' });
    const texts: string[] = element.options.map((option: Json) => option.text.text);
    expect(texts[0]).toBe('<\u200b!channel>');
    expect(texts[1]).toBe('**x** _y_ <\u200b@U0BOSS> <\u200bhttps://evil.example|click>');
    expect(texts[2]!.length).toBeLessThanOrEqual(75);
    expect(texts[2]!.endsWith('…')).toBe(true);
    // A label with nothing printable falls back to the value rather than an empty text Slack rejects.
    expect(texts[3]).toBe('only-controls');
    for (const option of element.options) expect(option.text.type).toBe('plain_text');
    expect(JSON.stringify(message.blocks)).not.toMatch(/<!(channel|here)>|<@U0BOSS>/);
    expect(collectSlackMrkdwn(message).join('\n')).not.toContain('channel');
  });

  it('throws card_invalid rather than cut a payload or break Slack limits', () => {
    const ok = renderSlackBlocks(cardWith({ type: 'actions', buttons: [], select: naSelect('i1', [{ label: 'Max', value: 'v'.repeat(150) }]) }));
    expect(findSlackViolations(ok)).toEqual([]);
    const broken: CardSelect[] = [
      naSelect('i1', [{ label: 'Too long', value: 'v'.repeat(151) }]),
      { ...naSelect('i1'), actionId: 'a'.repeat(256) },
      naSelect('i1', Array.from({ length: 101 }, (_, n) => ({ label: `R${n}`, value: `${n}` }))),
      naSelect('i1', [{ label: 'One', value: 'same' }, { label: 'Two', value: 'same' }]),
    ];
    for (const select of broken) {
      const error = caught(() => renderSlackBlocks(cardWith({ type: 'actions', buttons: [doneButton('i1')], select })));
      expect(isWardenError(error, 'card_invalid'), JSON.stringify(select).slice(0, 80)).toBe(true);
    }
    const hundred = naSelect('i1', Array.from({ length: 100 }, (_, n) => ({ label: `R${n}`, value: `${n}` })));
    expect(findSlackViolations(renderSlackBlocks(cardWith({ type: 'actions', buttons: [], select: hundred })))).toEqual([]);
  });
});

describe('select menus on Lark', () => {
  it('renders a select_static next to the buttons with a callback behaviour carrying the action id', () => {
    const lark = renderLarkCard(cardWith(...itemBlocks('i1'))) as Json;
    const row = (lark['body'].elements as Json[]).find((el) => el['tag'] === 'column_set')!;
    expect(row['flex_mode']).toBe('flow');
    expect(row['columns'].map((column: Json) => column['elements'][0].tag)).toEqual(['button', 'select_static']);
    expect(row['columns'][1]).toEqual({
      tag: 'column',
      width: 'auto',
      elements: [
        {
          tag: 'select_static',
          placeholder: { tag: 'plain_text', content: 'N/A …' },
          options: reasons.map(([label, why]) => ({ text: { tag: 'plain_text', content: label }, value: `{"r":"run-1","i":"i1","why":"${why}"}` })),
          behaviors: [{ type: 'callback', value: { actionId: 'checklist.na' } }],
        },
      ],
    });
    expect(collectLarkButtons(lark)[0]!['behaviors']).toEqual([{ type: 'callback', value: { actionId: 'checklist.done', value: { r: 'run-1', i: 'i1' } } }]);
  });

  it('keeps labels plain text, leaves out empty selects and stays within 30 KB for a long checklist', () => {
    const select: CardSelect = {
      actionId: 'checklist.na',
      placeholder: '<at id=all></at>',
      options: [
        { label: '<at id=all></at>', value: 'a' },
        { label: '**x** [link](http://evil.example)', value: 'b' },
        { label: 'y'.repeat(200), value: 'c' },
      ],
    };
    const lark = renderLarkCard(cardWith({ type: 'actions', buttons: [], select })) as Json;
    const [element] = collectLarkSelects(lark);
    expect(element!['placeholder']).toEqual({ tag: 'plain_text', content: '<\u200bat id=all><\u200b/at>' });
    expect(element!['options'].map((option: Json) => option.text.tag)).toEqual(['plain_text', 'plain_text', 'plain_text']);
    expect(element!['options'][0].text.content).toBe('<\u200bat id=all><\u200b/at>');
    expect(element!['options'][1].text.content).toBe('**x** [link](http://evil.example)');
    expect(element!['options'][2].text.content.length).toBeLessThanOrEqual(75);
    expect(JSON.stringify(lark)).not.toContain('<at id=all>');
    expect(collectLarkMarkdown(lark)).toEqual([]);

    const empty = renderLarkCard(cardWith({ type: 'actions', buttons: [], select: naSelect('i1', []) })) as Json;
    expect(empty['body'].elements).toEqual([]);

    // About 1 KB per item with four reasons: 24 items fit in 30 KB; selects are never cut, so 40 do not.
    const long = renderLarkCard(cardWith(...Array.from({ length: 24 }, (_, n) => itemBlocks(`i${n}`)).flat())) as Json;
    expect(larkBytes(long)).toBeLessThanOrEqual(30 * 1024);
    expect(collectLarkSelects(long)).toHaveLength(24);
    const tooLong = cardWith(...Array.from({ length: 40 }, (_, n) => itemBlocks(`i${n}`)).flat());
    expect(isWardenError(caught(() => renderLarkCard(tooLong)), 'card_too_large')).toBe(true);
  });

  it('throws card_invalid for the same broken selects as Slack, so a card renders on both or neither', () => {
    const broken: CardSelect[] = [
      naSelect('i1', [{ label: 'Too long', value: 'v'.repeat(151) }]),
      { ...naSelect('i1'), actionId: 'a'.repeat(256) },
      naSelect('i1', Array.from({ length: 101 }, (_, n) => ({ label: `R${n}`, value: `${n}` }))),
      naSelect('i1', [{ label: 'One', value: 'same' }, { label: 'Two', value: 'same' }]),
    ];
    for (const select of broken) {
      expect(isWardenError(caught(() => renderLarkCard(cardWith({ type: 'actions', buttons: [], select }))), 'card_invalid')).toBe(true);
    }
  });
});

describe('select menus in the terminal', () => {
  it('shows the options on one line after the buttons', () => {
    const text = renderConsoleText(cardWith(...itemBlocks('i1')), { width: 120 });
    const lines = text.split('\n').map((line) => line.slice(2, -2).trimEnd());
    const done = lines.indexOf('[Done]');
    expect(done).toBeGreaterThan(0);
    expect(lines[done + 1]).toBe('N/A …: Not applicable here | Covered by another control | Accepted risk | Not deployed');
  });

  it('wraps inside the box, strips terminal escapes, and shows nothing for an empty select', () => {
    const select = naSelect('i1', [
      { label: '\u001b[31mred\u001b[0m', value: 'a' },
      ...reasons.map(([label, why]) => ({ label, value: why })),
    ]);
    const text = renderConsoleText(cardWith({ type: 'actions', buttons: [], select }), { width: 40 });
    expect(text).not.toContain('\u001b');
    const lines = text.split('\n');
    for (const line of lines) expect(line.length).toBe(40);
    expect(lines.some((line) => line.includes('N/A …: [31mred[0m |'))).toBe(true);
    expect(lines.filter((line) => line.startsWith('│       ')).length).toBeGreaterThan(0);

    const empty = renderConsoleText(cardWith({ type: 'text', text: 'intro' }, { type: 'actions', buttons: [], select: naSelect('i1', []) }));
    expect(empty).not.toContain('N/A');
  });
});
