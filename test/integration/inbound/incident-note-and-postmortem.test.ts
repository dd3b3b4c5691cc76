import type { Job } from 'bullmq';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIncidentCard } from '../../../cards/build-incident-card.js';
import type { Card } from '../../../cards/card.js';
import { renderLarkCard } from '../../../cards/render-lark-card.js';
import { renderSlackBlocks } from '../../../cards/render-slack-blocks.js';
import { commands } from '../../../commands/index.js';
import { webhookNotificationSchema } from '../../../src/incidents/alertmanager-schema.js';
import { closeIncident } from '../../../src/incidents/close-incident.js';
import { createIncidentStore } from '../../../src/incidents/create-incident-store.js';
import { moveIncidentPhase } from '../../../src/incidents/move-incident-phase.js';
import { recordNotification } from '../../../src/incidents/record-notifications.js';
import { incidentButtons } from '../../../src/inbound/incident-buttons.js';
import type { InboundEvent } from '../../../src/model/inbound-event.js';
import { createApprovalStore } from '../../../src/approvals/create-approval-store.js';
import { createQueues } from '../../../src/jobs/create-queues.js';
import { createJobWork } from '../../../src/jobs/create-job-work.js';
import { processInboundJob } from '../../../src/jobs/inbound/process-inbound-job.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { buildNotification } from '../../support/build-notification.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { createRecordingChatAdapter } from '../../support/recording-chat-adapter.js';
import { buildTestConfig } from '../../support/start-test-warden.js';
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/test-redis.js';

const cardText = (card: Card) => card.blocks.map((block) => (block.type === 'text' ? block.text : '')).join('\n');

describe('/incident note and /incident postmortem (worker side, real Redis)', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('note-postmortem');
  const keys = createRedisKeys(prefix);
  const queues = createQueues(redis, prefix);
  const store = createIncidentStore(redis, keys);
  const audit = createRecordingAuditLog();
  const slack = createRecordingChatAdapter('slack');
  const config = buildTestConfig({
    alertmanager: { token: 'x'.repeat(32) },
    slack: { signingSecret: 's'.repeat(32), botToken: 'xoxb-1' },
    access: { groups: { operators: ['slack:U0OPS1'], viewers: ['slack:U0VIEW1'] }, permissions: { 'incident.respond': ['operators'], 'incident.view': ['operators', 'viewers'] } },
  });
  const operations = { store, work: createJobWork(queues), audit, now: () => Date.now(), actions: config.actions, approvals: createApprovalStore(redis, keys), approvalExpiryMs: 1_800_000 };
  const deps = { config, commands, buttons: incidentButtons, store, operations, adapters: { slack }, audit, logger: pino({ level: 'silent' }) };
  let key = '';
  let serial = 0;

  const command = (identity: string, text: string, id = `slack:cmd-${++serial}`): InboundEvent => ({
    id,
    platform: 'slack',
    identity,
    tenant: 'T0',
    appId: 'A0',
    destination: 'slack:C0SEC',
    receivedAt: Date.now(),
    input: { type: 'command', name: 'incident', text },
  });
  const run = (event: InboundEvent) => processInboundJob({ data: event } as Job<InboundEvent>, deps);
  const privateTo = (identity: string) => slack.calls.filter((call) => call.kind === 'private' && call.destination === identity);

  beforeAll(async () => {
    const notification = webhookNotificationSchema.parse(buildNotification({ alertname: 'SuspiciousProcess', groupKey: '{}:{alertname="SuspiciousProcess"}' }));
    ({ key } = await recordNotification(redis, prefix, notification, { destinations: ['slack:C0SEC'], playbook: 'default' }, Date.now()));
    await moveIncidentPhase(operations, key, 'isolate', 'slack:U0OPS1');
    await moveIncidentPhase(operations, key, 'optimize', 'slack:U0OPS1');
  });

  afterAll(async () => {
    await queues.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('adds a note to the timeline once, however often its job runs, and audits it', async () => {
    const text = 'Root cause: a leaked deploy key.\nLesson: rotate keys <!channel> *weekly*';
    const event = command('slack:U0OPS1', `note ${key} ${text}`, 'slack:cmd-note-once');
    expect(await run(event)).toBe('ran /incident note');
    // The same delivery again (a retried job): found, not added twice.
    expect(await run(event)).toBe('ran /incident note');
    const notes = (await store.timeline(key)).filter((entry) => entry.kind === 'note');
    expect(notes).toEqual([expect.objectContaining({ kind: 'note', text, actor: 'slack:U0OPS1', data: { requestId: 'slack:cmd-note-once' } })]);
    expect(audit.entries.filter((e) => e.type === 'incident.note')).toEqual([{ type: 'incident.note', actor: 'slack:U0OPS1', subject: key, outcome: 'ok', detail: { chars: text.length } }]);
    const replies = privateTo('slack:U0OPS1').map((call) => call.card.title);
    expect(replies).toEqual([expect.stringContaining(`Noted on the timeline of ${key}`), expect.stringContaining('already on the timeline')]);
    // A second, different note is a second entry.
    await run(command('slack:U0OPS1', `note ${key} Follow-up: alert on new deploy keys`));
    expect((await store.timeline(key)).filter((entry) => entry.kind === 'note')).toHaveLength(2);
  });

  it('refuses a note from someone who may only view, and a note with a bad key', async () => {
    expect(await run(command('slack:U0VIEW1', `note ${key} I was here`))).toBe('refused (denied): /incident note');
    expect(await run(command('slack:U0OPS1', 'note inc-000000000000 nothing to see'))).toBe('ran /incident note');
    expect(privateTo('slack:U0OPS1').at(-1)!.card.title).toBe('There is no incident inc-000000000000.');
    expect(await run(command('slack:U0OPS1', `note ${key}`))).toBe('refused (usage): /incident');
    expect((await store.timeline(key)).filter((entry) => entry.kind === 'note')).toHaveLength(2);
  });

  it('posts the postmortem draft publicly to the channel, with the notes and the timeline', async () => {
    const before = slack.calls.length;
    expect(await run(command('slack:U0VIEW1', `postmortem ${key}`))).toBe('ran /incident postmortem');
    const posted = slack.calls.slice(before);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ kind: 'post', destination: 'slack:C0SEC' });
    const card = posted[0]!.card;
    expect(card.title).toBe(`Postmortem draft for ${key}`);
    const markdown = cardText(card);
    expect(markdown).toContain(`# Postmortem draft: SuspiciousProcess (${key})`);
    expect(markdown).toContain('| Phases visited | triage → isolate → optimize |');
    expect(markdown).toMatch(/## Timeline \(UTC\)\n\n- \d{4}-\d\d-\d\d \d\d:\d\d:\d\d · opened · Opened by Alertmanager/);
    expect(markdown).toContain('· phase · Phase isolate → optimize by slack:U0OPS1');
    expect(markdown).toContain('## Findings and lessons learned\n\n- Root cause: a leaked deploy key.\n  Lesson: rotate keys \\<!channel\\> \\*weekly\\*\n  — slack:U0OPS1,');
    expect(markdown).toContain('- Follow-up: alert on new deploy keys');
    expect(markdown).toContain('## Follow-ups\n\n- [ ] ');
    // Both platforms can show it; the note's markup stays text.
    const blocks = JSON.stringify(renderSlackBlocks(card).blocks);
    expect(blocks).toContain('Findings and lessons learned');
    expect(blocks).not.toContain('<!channel>');
    expect(JSON.stringify(renderLarkCard(card))).toContain('Findings and lessons learned');
  });

  it('splits a long draft into blocks each platform shows whole, cutting between lines', async () => {
    const notification = webhookNotificationSchema.parse(buildNotification({ alertname: 'LongStory', groupKey: '{}:{alertname="LongStory"}' }));
    const { key: long } = await recordNotification(redis, prefix, notification, { destinations: ['slack:C0SEC'], playbook: 'default' }, Date.now());
    const timeline = Array.from({ length: 60 }, (_, i) => ({ at: Date.now(), kind: 'note' as const, text: `Finding ${i}: ${'detail '.repeat(12)}`, actor: 'slack:U0OPS1' }));
    await store.patch(long, { timeline }, Date.now());
    const before = slack.calls.length;
    await run(command('slack:U0OPS1', `postmortem ${long}`));
    const card = slack.calls.slice(before)[0]!.card;
    expect(card.blocks.length).toBeGreaterThan(3);
    for (const block of card.blocks) {
      expect(block.type).toBe('text');
      if (block.type === 'text') expect(block.text.length).toBeLessThanOrEqual(2400);
    }
    const markdown = cardText(card);
    for (let i = 0; i < 60; i++) expect(markdown).toContain(`- Finding ${i}: detail`);
    expect(markdown).toContain('## Follow-ups');
    const sections = renderSlackBlocks(card).blocks.filter((b) => b.type === 'section');
    expect(sections).toHaveLength(card.blocks.length);
    expect(JSON.stringify(sections)).not.toContain('…');
  });

  it('in Optimize the card offers lessons learned and a "Postmortem draft" button that posts the draft in the channel', async () => {
    const view = (await store.view(key))!;
    const card = buildIncidentCard({ incident: view.incident, alerts: view.alerts, diagnosis: view.diagnosis });
    const text = JSON.stringify(card.blocks);
    expect(text).toContain(`Lessons learned: /incident note ${key}`);
    const button = card.blocks.flatMap((block) => (block.type === 'actions' ? block.buttons : [])).find((b) => b.actionId === 'incident.postmortem');
    expect(button).toMatchObject({ label: 'Postmortem draft', value: JSON.stringify({ k: key }) });

    const click = (identity: string): InboundEvent => ({
      id: `slack:click-${++serial}`,
      platform: 'slack',
      identity,
      tenant: 'T0',
      appId: 'A0',
      destination: 'slack:C0SEC',
      receivedAt: Date.now(),
      input: { type: 'action', actionId: 'incident.postmortem', value: button!.value },
    });
    const before = slack.calls.length;
    expect(await run(click('slack:U0VIEW1'))).toBe('incident.postmortem: posted');
    const posted = slack.calls.slice(before);
    expect(posted).toEqual([expect.objectContaining({ kind: 'post', destination: 'slack:C0SEC' })]);
    expect(posted[0]!.card.title).toBe(`Postmortem draft for ${key}`);
    expect(cardText(posted[0]!.card)).toContain('## Findings and lessons learned');

    // Someone who may not even view incidents gets a private refusal; nothing is posted.
    const after = slack.calls.length;
    expect(await run(click('slack:U0NOBODY'))).toBe('refused (denied): incident.postmortem');
    expect(slack.calls.slice(after)).toEqual([expect.objectContaining({ kind: 'private', destination: 'slack:U0NOBODY' })]);
    // Other phases have no such button.
    const isolateCard = buildIncidentCard({ incident: { ...view.incident, phase: 'isolate' }, alerts: view.alerts, diagnosis: view.diagnosis });
    expect(JSON.stringify(isolateCard.blocks)).not.toContain('incident.postmortem');
  });

  it('answers a postmortem for an unknown incident privately', async () => {
    const before = slack.calls.length;
    await run(command('slack:U0VIEW1', 'postmortem inc-000000000000'));
    expect(slack.calls.slice(before)).toEqual([expect.objectContaining({ kind: 'private', destination: 'slack:U0VIEW1' })]);
  });

  it('takes notes until the incident is closed; its postmortem can still be drafted after', async () => {
    await closeIncident(operations, key, 'slack:U0OPS1');
    await run(command('slack:U0OPS1', `note ${key} too late`));
    expect(privateTo('slack:U0OPS1').at(-1)!.card.title).toBe(`${key} is closed; notes are taken until an incident is closed.`);
    expect((await store.timeline(key)).filter((entry) => entry.kind === 'note')).toHaveLength(2);
    const before = slack.calls.length;
    await run(command('slack:U0OPS1', `postmortem ${key}`));
    const markdown = cardText(slack.calls.slice(before)[0]!.card);
    expect(markdown).toContain('| Phases visited | triage → isolate → optimize → closed |');
    expect(markdown).toMatch(/\| Closed \| .* by slack:U0OPS1 \|/);
  });
});
