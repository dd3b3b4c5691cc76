import { describe, expect, it } from 'vitest';
import { buildIncidentCard, type IncidentCardInput, type PlaybookActionView, type PlaybookStepView } from '../../../cards/build-incident-card.js';
import type { Card, CardBlock, CardButton } from '../../../cards/card.js';
import { renderLarkCard } from '../../../cards/render-lark-card.js';
import { renderSlackBlocks } from '../../../cards/render-slack-blocks.js';
import { actionSchema } from '../../../src/config/action-schema.js';
import type { Config } from '../../../src/config/config-schema.js';
import type { IncidentPhase } from '../../../src/model/incident.js';
import { buildPlaybookCardInput } from '../../../src/playbooks/build-playbook-card-input.js';
import { loadPlaybooks } from '../../../src/playbooks/load-playbooks.js';
import { collectLarkButtons, collectLarkMarkdown, decodeLarkEntities, findSlackViolations, larkBytes, makeAlert, makeIncident } from './card-test-helpers.js';

type Json = Record<string, any>;
const at = Date.parse('2026-11-20T10:07:31Z');

const steps: PlaybookStepView[] = [
  { id: 'stop-service', title: 'Stop the affected service', state: 'done', by: 'slack:U0ALICE', at },
  { id: 'block-source', title: 'Block the source IPs', state: 'open', guidance: 'Deny rule at the firewall.' },
  { id: 'page-owner', title: 'Page the owner', state: 'skipped', by: 'lark:ou_bob', at },
  { id: 'save-evidence', title: 'Save logs as evidence', state: 'open' },
  { id: 'snapshot', title: 'Snapshot the host', state: 'open', action: 'Snapshot VM' },
];
const actions: PlaybookActionView[] = [
  { id: 'snapshot-vm', title: 'Snapshot VM', destructive: false },
  { id: 'isolate-host', title: 'Isolate host', destructive: true },
];

function card(phase: IncidentPhase, extra: Partial<IncidentCardInput> = {}): Card {
  return buildIncidentCard({
    incident: makeIncident({ phase, closedAt: phase === 'closed' ? at : undefined }),
    alerts: [makeAlert(1)],
    diagnosis: [],
    playbook: { title: 'Abnormal access', steps },
    actions,
    ...extra,
  });
}
const buttons = (c: Card): CardButton[] => c.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []));
const contexts = (c: Card): string[] => c.blocks.flatMap((b) => (b.type === 'context' ? [b.text] : []));
const stepList = (c: Card) => c.blocks.find((b): b is Extract<CardBlock, { type: 'list' }> => b.type === 'list' && b.title.startsWith('Playbook steps'));

describe('incident card: playbook steps and phase actions', () => {
  it('shows the current phase steps with their state, who ticked them and the open steps\' guidance', () => {
    const list = stepList(card('isolate'));
    expect(list?.title).toBe('Playbook steps — isolate · Abnormal access');
    expect(list?.items).toEqual([
      '☑ Stop the affected service — slack:U0ALICE, 2026-11-20 10:07 UTC',
      '☐ Block the source IPs — Deny rule at the firewall.',
      '⊘ Page the owner (skipped) — lark:ou_bob, 2026-11-20 10:07 UTC',
      '☐ Save logs as evidence',
      '☐ Snapshot the host (action: Snapshot VM)',
    ]);
  });

  it('has a Done button for each open manual step, each in its own actions block (Slack wants unique action ids per block)', () => {
    const c = card('isolate');
    const done = buttons(c).filter((b) => b.actionId === 'incident.step');
    expect(done.map((b) => b.label)).toEqual(['Done: Block the source IPs', 'Done: Save logs as evidence']);
    expect(done.map((b) => JSON.parse(b.value))).toEqual([
      { k: 'inc-7f3a9c', s: 'block-source' },
      { k: 'inc-7f3a9c', s: 'save-evidence' },
    ]);
    for (const block of c.blocks) {
      if (block.type !== 'actions') continue;
      const ids = block.buttons.map((b) => b.actionId);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('has a button per phase action labelled with its title, danger when destructive, before the six response buttons', () => {
    const c = card('isolate');
    const run = buttons(c).filter((b) => b.actionId === 'action.run');
    expect(run).toEqual([
      { actionId: 'action.run', label: 'Snapshot VM', value: '{"k":"inc-7f3a9c","a":"snapshot-vm"}' },
      { actionId: 'action.run', label: 'Isolate host', value: '{"k":"inc-7f3a9c","a":"isolate-host"}', style: 'danger' },
    ]);
    expect(contexts(c)).toContain('Actions for isolate:');
    const last = c.blocks.at(-1);
    expect(last?.type === 'actions' && last.buttons.map((b) => b.label)).toEqual(['Acknowledge', 'Isolate', 'Analyze', 'Recover', 'Optimize', 'Resolve', 'Silence', 'War room']);
  });

  it('renders on Slack and Lark with the labels, values and styles', () => {
    const slack = renderSlackBlocks(card('isolate'));
    expect(findSlackViolations(slack)).toEqual([]);
    const elements = (slack.blocks as Json[]).filter((b) => b['type'] === 'actions').flatMap((b) => b['elements'] as Json[]);
    expect(elements.filter((e) => e['action_id'] === 'action.run').map((e) => [e['text'].text, e['style']])).toEqual([
      ['Snapshot VM', undefined],
      ['Isolate host', 'danger'],
    ]);
    for (const block of (slack.blocks as Json[]).filter((b) => b['type'] === 'actions')) {
      const ids = (block['elements'] as Json[]).map((e) => e['action_id']);
      expect(new Set(ids).size).toBe(ids.length);
    }
    const lark = renderLarkCard(card('isolate')) as Json;
    const larkButtons = collectLarkButtons(lark);
    expect(larkButtons.find((b) => b['text'].content === 'Isolate host')?.['type']).toBe('danger');
    expect(larkButtons.find((b) => b['text'].content === 'Done: Block the source IPs')?.['behaviors']).toEqual([
      { type: 'callback', value: { actionId: 'incident.step', value: { k: 'inc-7f3a9c', s: 'block-source' } } },
    ]);
    expect(collectLarkMarkdown(lark).map(decodeLarkEntities).join('\n')).toContain('☐ Block the source IPs');
  });

  it('caps Done and action buttons at 8 each with "+N more", within Slack and Lark limits', () => {
    const many: PlaybookStepView[] = Array.from({ length: 30 }, (_, i) => ({ id: `step-${i}`, title: `${'Long step title '.repeat(7)}${i}`, state: 'open', guidance: 'g'.repeat(500) }));
    const manyActions: PlaybookActionView[] = Array.from({ length: 20 }, (_, i) => ({ id: `action-${i}`, title: `${'Action '.repeat(12)}${i}`, destructive: i % 2 === 0 }));
    const alerts = Array.from({ length: 500 }, (_, i) => makeAlert(i));
    const c = buildIncidentCard({ incident: makeIncident({ phase: 'recover' }), alerts, diagnosis: [], playbook: { title: 'Big', steps: many }, actions: manyActions });
    expect(buttons(c).filter((b) => b.actionId === 'incident.step')).toHaveLength(8);
    expect(buttons(c).filter((b) => b.actionId === 'action.run')).toHaveLength(8);
    expect(contexts(c)).toContain('+22 more open steps; their Done buttons appear as these are ticked.');
    expect(contexts(c)).toContain('Actions for recover (+12 more not shown):');
    expect(stepList(c)?.items).toHaveLength(20);
    expect(stepList(c)?.moreCount).toBe(10);

    const slack = renderSlackBlocks(c);
    expect(findSlackViolations(slack)).toEqual([]);
    const slackButtons = (slack.blocks as Json[]).filter((b) => b['type'] === 'actions').flatMap((b) => b['elements'] as Json[]);
    expect(slackButtons).toHaveLength(8 + 8 + 8);
    const lark = renderLarkCard(c);
    expect(larkBytes(lark)).toBeLessThanOrEqual(30 * 1024);
    expect(collectLarkButtons(lark)).toHaveLength(8 + 8 + 8);
  });

  it('shows no steps, Done or action buttons in triage, only which playbook applies', () => {
    const c = card('triage');
    expect(stepList(c)).toBeUndefined();
    expect(buttons(c).map((b) => b.actionId)).toEqual(['incident.acknowledge', 'incident.isolate', 'incident.analyze', 'incident.recover', 'incident.optimize', 'incident.resolve', 'incident.silence', 'incident.war-room']);
    expect(contexts(c)).toContain('Playbook “Abnormal access”: its steps appear once the incident moves to Isolate, Analyze, Recover or Optimize.');
  });

  it('shows none of it once the incident is closed', () => {
    const c = card('closed');
    expect(stepList(c)).toBeUndefined();
    expect(buttons(c)).toEqual([]);
    expect(c.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(contexts(c).some((t) => t.includes('Playbook'))).toBe(false);
  });

  it('says when the playbook has no steps for the phase, and still offers the phase actions', () => {
    const c = card('optimize', { playbook: { title: 'Abnormal access', steps: [] } });
    expect(contexts(c)).toContain('Playbook “Abnormal access” has no optimize steps.');
    expect(buttons(c).filter((b) => b.actionId === 'action.run')).toHaveLength(2);
  });
});

describe('buildPlaybookCardInput', () => {
  const playbooks = loadPlaybooks(undefined, { actions: {} });
  const action = (phase: string, title: string, destructive = false) =>
    actionSchema.parse({ kind: 'http-check', phase, title, destructive, url: 'https://web.example/health' });
  const configured: Config['actions'] = {
    'web-health': action('analyze', 'Web health'),
    'pause-queue': action('isolate', 'Pause task queue', true),
    'block-ip': action('recover', 'Block source IP', true),
  };

  it('takes the current phase steps of the incident\'s playbook with their recorded state, and the phase actions', () => {
    const incident = makeIncident({ phase: 'isolate', playbook: 'abnormal-access' });
    const states = new Map([['save-evidence', { state: 'done' as const, by: 'slack:U0ALICE', at }]]);
    const input = buildPlaybookCardInput(incident, playbooks, configured, states);
    expect(input.playbook?.title).toBe('Abnormal access');
    expect(input.playbook?.steps.map((s) => [s.id, s.state])).toEqual([
      ['stop-affected-service', 'open'],
      ['block-source', 'open'],
      ['save-evidence', 'done'],
    ]);
    expect(input.playbook?.steps[2]).toMatchObject({ by: 'slack:U0ALICE', at });
    expect(input.actions).toEqual([{ id: 'pause-queue', title: 'Pause task queue', destructive: true }]);
  });

  it('puts actions bound to the phase steps first, without repeats, and falls back to default', () => {
    const bound = new Map(playbooks);
    const base = playbooks.get('default')!;
    bound.set('default', {
      ...base,
      phases: { recover: [{ id: 'block', title: 'Block it', action: 'block-ip' }, { id: 'health', title: 'Check health', action: 'web-health' }] },
    });
    const input = buildPlaybookCardInput(makeIncident({ phase: 'recover', playbook: 'no-such-playbook' }), bound, configured, new Map());
    expect(input.playbook?.steps).toEqual([
      { id: 'block', title: 'Block it', state: 'open', action: 'Block source IP' },
      { id: 'health', title: 'Check health', state: 'open', action: 'Web health' },
    ]);
    expect(input.actions?.map((a) => a.id)).toEqual(['block-ip', 'web-health']);
  });

  it('gives only the playbook title in triage and nothing once closed', () => {
    expect(buildPlaybookCardInput(makeIncident({ phase: 'triage' }), playbooks, configured, new Map())).toEqual({ playbook: { title: 'General security incident', steps: [] } });
    expect(buildPlaybookCardInput(makeIncident({ phase: 'closed' }), playbooks, configured, new Map())).toEqual({});
  });
});
