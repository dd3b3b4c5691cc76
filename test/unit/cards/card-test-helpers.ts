import type { Alert, Incident } from '../../../src/model/incident.js';
import type { SlackMessage } from '../../../cards/render-slack-blocks.js';

type Json = Record<string, any>;

/** An incident as the store would hold it, with overridable fields. */
export function makeIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    key: 'inc-7f3a9c',
    groupKey: '{}/{severity="critical"}:{alertname="SuspiciousProcess"}',
    title: 'SuspiciousProcess',
    severity: 'critical',
    phase: 'triage',
    status: 'firing',
    groupLabels: { alertname: 'SuspiciousProcess' },
    commonLabels: { alertname: 'SuspiciousProcess', severity: 'critical' },
    externalURL: 'http://alertmanager:9093',
    receiver: 'warden',
    destinations: [],
    playbook: 'default',
    firing: 2,
    resolved: 0,
    openedAt: Date.parse('2026-11-20T10:00:00Z'),
    updatedAt: Date.parse('2026-11-20T10:01:00Z'),
    version: 1,
    ...overrides,
  };
}

/** One alert; `labels` and `annotations` merge over the defaults. */
export function makeAlert(
  n: number,
  overrides: { labels?: Record<string, string>; annotations?: Record<string, string>; status?: Alert['status']; generatorURL?: string } = {},
): Alert {
  return {
    fingerprint: `fp${n.toString(16).padStart(6, '0')}`,
    status: overrides.status ?? 'firing',
    labels: { alertname: 'SuspiciousProcess', severity: 'critical', instance: `web-${n}:9100`, ...overrides.labels },
    annotations: { summary: `process on web-${n}`, ...overrides.annotations },
    startsAt: '2026-11-20T10:00:00.000Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: overrides.generatorURL ?? 'http://prometheus:9090/graph?g0.expr=process_suspicious',
  };
}

/** Every mrkdwn text object of a Slack message (sections, fields, context). */
export function collectSlackMrkdwn(message: SlackMessage): string[] {
  const texts: string[] = [];
  for (const block of message.blocks as Json[]) {
    if (block['text']?.type === 'mrkdwn') texts.push(block['text'].text);
    for (const field of block['fields'] ?? []) if (field.type === 'mrkdwn') texts.push(field.text);
    if (block['type'] === 'context') for (const el of block['elements']) if (el.type === 'mrkdwn') texts.push(el.text);
  }
  return texts;
}

/** Every Block Kit limit Warden relies on that `message` breaks; empty when it is within them. */
export function findSlackViolations(message: SlackMessage): string[] {
  const problems: string[] = [];
  const blocks = message.blocks as Json[];
  if (blocks.length > 50) problems.push(`${blocks.length} blocks`);
  if (message.text.length === 0 || message.text.length > 3000) problems.push(`text length ${message.text.length}`);
  blocks.forEach((block, i) => {
    const where = `block ${i} (${block['type']})`;
    const checkText = (text: Json | undefined, max: number, what: string): void => {
      if (text === undefined) return;
      if (typeof text['text'] !== 'string' || text['text'].length === 0) problems.push(`${where}: empty ${what}`);
      else if (text['text'].length > max) problems.push(`${where}: ${what} ${text['text'].length} > ${max}`);
    };
    switch (block['type']) {
      case 'header':
        if (block['text'].type !== 'plain_text') problems.push(`${where}: header not plain_text`);
        checkText(block['text'], 150, 'header');
        break;
      case 'section':
        if (block['text'] === undefined && block['fields'] === undefined) problems.push(`${where}: no text or fields`);
        checkText(block['text'], 3000, 'text');
        if ((block['fields'] ?? []).length > 10) problems.push(`${where}: ${block['fields'].length} fields`);
        for (const field of block['fields'] ?? []) checkText(field, 2000, 'field');
        break;
      case 'context':
        if (block['elements'].length > 10) problems.push(`${where}: ${block['elements'].length} elements`);
        for (const el of block['elements']) checkText(el, 3000, 'context');
        break;
      case 'actions':
        if (block['elements'].length > 25) problems.push(`${where}: ${block['elements'].length} elements`);
        for (const el of block['elements']) {
          if (el.type === 'static_select') {
            problems.push(...findSelectViolations(el, where));
            continue;
          }
          checkText(el.text, 75, 'button text');
          if (el.value.length > 2000) problems.push(`${where}: button value ${el.value.length}`);
          if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') problems.push(`${where}: style ${el.style}`);
        }
        break;
      case 'divider':
        break;
      default:
        problems.push(`${where}: unexpected block type`);
    }
  });
  return problems;
}

/** Block Kit limits of a `static_select`: placeholder ≤ 150, 1–100 options, option text ≤ 75, value ≤ 150, unique. */
function findSelectViolations(el: Json, where: string): string[] {
  const problems: string[] = [];
  const text = (object: Json | undefined, max: number, what: string): void => {
    if (object?.['type'] !== 'plain_text') problems.push(`${where}: ${what} not plain_text`);
    else if (typeof object['text'] !== 'string' || object['text'].length === 0 || object['text'].length > max) problems.push(`${where}: ${what} length`);
  };
  if (typeof el['action_id'] !== 'string' || el['action_id'].length > 255) problems.push(`${where}: select action_id`);
  text(el['placeholder'], 150, 'placeholder');
  const options: Json[] = el['options'] ?? [];
  if (options.length === 0 || options.length > 100) problems.push(`${where}: ${options.length} options`);
  for (const option of options) {
    text(option['text'], 75, 'option text');
    if (typeof option['value'] !== 'string' || option['value'].length > 150) problems.push(`${where}: option value`);
  }
  if (new Set(options.map((o) => o['value'])).size !== options.length) problems.push(`${where}: repeated option values`);
  return problems;
}

/** Bytes of the card as Lark receives it. */
export function larkBytes(card: Record<string, unknown>): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/** Every `markdown` element's content of a Lark card. */
export function collectLarkMarkdown(card: Record<string, unknown>): string[] {
  return ((card['body'] as Json)['elements'] as Json[]).filter((el) => el['tag'] === 'markdown').map((el) => el['content'] as string);
}

/** Every button of a Lark card, wherever it is nested. */
export function collectLarkButtons(card: Record<string, unknown>): Json[] {
  const buttons: Json[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      if ((node as Json)['tag'] === 'button') buttons.push(node as Json);
      Object.values(node).forEach(visit);
    }
  };
  visit(card);
  return buttons;
}

/** Every `select_static` of a Lark card, wherever it is nested. */
export function collectLarkSelects(card: Record<string, unknown>): Json[] {
  const selects: Json[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      if ((node as Json)['tag'] === 'select_static') selects.push(node as Json);
      Object.values(node).forEach(visit);
    }
  };
  visit(card);
  return selects;
}

/** Decodes the numeric character references the Lark escaper writes. */
export function decodeLarkEntities(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
}
