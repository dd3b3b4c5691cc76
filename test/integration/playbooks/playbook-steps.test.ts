import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card, CardBlock } from '../../../cards/card.js';
import type { ResponseDeps } from '../../../src/response/response-deps.js';
import { closeIncident } from '../../../src/incidents/close-incident.js';
import { moveIncidentPhase } from '../../../src/incidents/move-incident-phase.js';
import type { InboundEvent } from '../../../src/model/inbound-event.js';
import { createPlaybookStepButton, parsePlaybookStepButtonValue } from '../../../src/inbound/playbook-step-button.js';
import { toJobIdPart, type Queues } from '../../../src/jobs/create-queues.js';
import { createJobWork } from '../../../src/jobs/create-job-work.js';
import { loadPlaybooks } from '../../../src/playbooks/load-playbooks.js';
import { markPlaybookStep, type PlaybookStepDeps } from '../../../src/playbooks/mark-playbook-step.js';
import { readPlaybookStepStates } from '../../../src/playbooks/playbook-step-state.js';
import { createRedisKeys, type RedisKeys } from '../../../src/redis/redis-keys.js';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { createRecordingChatAdapter, type RecordedCall } from '../../support/recording-chat-adapter.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { connectTestRedis } from '../../support/test-redis.js';

const ALICE = 'slack:U0ALICE';
const BOB = 'lark:ou_bob';
const DESTINATION = 'console:terminal';

const steps = (card: Card) => card.blocks.find((b): b is Extract<CardBlock, { type: 'list' }> => b.type === 'list' && b.title.startsWith('Playbook steps'));
const buttons = (card: Card) => card.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []));
const latest = (calls: RecordedCall[]) => calls.at(-1)?.card;

describe('playbook steps (real Redis, notify job renders them)', () => {
  const chat = createRecordingChatAdapter('console');
  const audit = createRecordingAuditLog();
  const redis = connectTestRedis();
  const playbooks = loadPlaybooks(undefined, { actions: { 'pause-queue': {} } });
  let t: TestWarden;
  let keys: RedisKeys;
  let clock = Date.parse('2026-11-20T10:00:00Z');
  const queued: string[] = [];
  let deps: PlaybookStepDeps;
  let operations: ResponseDeps;

  beforeAll(async () => {
    t = await startTestWarden({
      name: 'playbook-steps',
      adapters: { console: chat },
      audit,
      tree: {
        routes: [{ match: { alertname: 'AbnormalLogin' }, to: [DESTINATION], playbook: 'abnormal-access' }, { to: [DESTINATION] }],
        actions: {
          'pause-queue': { kind: 'http', phase: 'isolate', title: 'Pause task queue', destructive: true, request: { url: 'https://queue.example/pause' } },
          'web-health': { kind: 'http-check', phase: 'recover', title: 'Web health', url: 'http://127.0.0.1:9/health' },
        },
      },
    });
    keys = createRedisKeys(t.prefix);
    // The real queues, with every card job id noted on the way.
    const queues = {
      ...t.warden.queues,
      notify: {
        addBulk: async (jobs: Parameters<Queues['notify']['addBulk']>[0]) => {
          queued.push(...jobs.map((job) => job.opts?.jobId ?? ''));
          return t.warden.queues.notify.addBulk(jobs);
        },
      },
    } as unknown as Queues;
    const now = () => clock;
    deps = { redis, keys, playbooks, store: t.warden.store, work: createJobWork(queues as Queues), audit, now };
    operations = { store: t.warden.store, work: createJobWork(queues as Queues), audit, now } as unknown as ResponseDeps;
  });
  afterAll(async () => {
    await t.dispose();
    redis.disconnect();
  });

  async function openIncident(alertname: string): Promise<string> {
    expect((await postNotification(t.url, t.token, buildNotification({ alertname, groupKey: `{}:{alertname="${alertname}"}` }))).status).toBe(202);
    let key: string | undefined;
    await chat.waitFor(() => {
      key = chat.calls.find((c) => c.kind === 'post' && c.card.title === alertname)?.card.blocks.flatMap((b) => (b.type === 'fields' ? b.fields : [])).find((f) => f.label === 'Key')?.value;
      return key !== undefined;
    });
    return key!;
  }
  const cardsOf = (key: string) => chat.calls.filter((c) => c.card.blocks.some((b) => b.type === 'fields' && b.fields.some((f) => f.value === key)));
  const waitForCard = (key: string, predicate: (card: Card) => boolean) => chat.waitFor(() => cardsOf(key).some((c) => predicate(c.card)));

  it('shows the route\'s playbook; in a phase, its steps with Done buttons and the phase\'s action buttons', async () => {
    const key = await openIncident('AbnormalLogin');
    const incident = await t.warden.store.get(key);
    expect(incident?.playbook).toBe('abnormal-access');
    const first = latest(cardsOf(key))!;
    expect(steps(first)).toBeUndefined();
    expect(first.blocks.some((b) => b.type === 'context' && b.text.startsWith('Playbook “Abnormal access”'))).toBe(true);

    expect((await moveIncidentPhase(operations, key, 'isolate', ALICE)).outcome).toBe('changed');
    await waitForCard(key, (card) => steps(card) !== undefined);
    const card = latest(cardsOf(key))!;
    expect(steps(card)?.title).toBe('Playbook steps — isolate · Abnormal access');
    expect(steps(card)?.items.every((item) => item.startsWith('☐'))).toBe(true);
    expect(buttons(card).filter((b) => b.actionId === 'incident.step').map((b) => JSON.parse(b.value))).toEqual([
      { k: key, s: 'stop-affected-service' },
      { k: key, s: 'block-source' },
      { k: key, s: 'save-evidence' },
    ]);
    expect(buttons(card).filter((b) => b.actionId === 'action.run')).toEqual([
      { actionId: 'action.run', label: 'Pause task queue', value: JSON.stringify({ k: key, a: 'pause-queue' }), style: 'danger' },
    ]);
  });

  it('ticks a step once, recording who and when, on the timeline, with a new version and card jobs', async () => {
    const key = await openIncident('AbnormalLogin2');
    await moveIncidentPhase(operations, key, 'analyze', ALICE);
    const before = (await t.warden.store.get(key))!;
    expect(before.playbook).toBe('default');
    queued.length = 0;
    clock += 60_000;
    const tickedAt = clock;

    const result = await markPlaybookStep(deps, key, 'build-timeline', ALICE);
    expect(result).toMatchObject({ outcome: 'changed', message: `You marked “Build a timeline of what happened” done on ${key}.` });
    const after = (await t.warden.store.get(key))!;
    expect(after.version).toBe(before.version + 1);
    expect(queued).toEqual([`notify.${key}.${toJobIdPart(DESTINATION)}.v${after.version}`]);
    expect(await readPlaybookStepStates(redis, keys, key)).toEqual(new Map([['build-timeline', { state: 'done', by: ALICE, at: tickedAt }]]));
    expect(JSON.parse((await redis.hget(keys.steps(key), 'build-timeline'))!)).toEqual({ state: 'done', by: ALICE, at: tickedAt });
    const timeline = (await t.warden.store.timeline(key)).filter((e) => e.kind === 'step');
    expect(timeline).toEqual([
      expect.objectContaining({ at: tickedAt, actor: ALICE, data: { playbook: 'default', stepId: 'build-timeline', phase: 'analyze', state: 'done' } }),
    ]);
    expect(audit.entries.filter((e) => e.type === 'incident.step' && e.subject === key)).toHaveLength(1);

    // The notify job reads the step states: the card shows the tick and who made it.
    await waitForCard(key, (card) => steps(card)?.items[0] === '☑ Build a timeline of what happened — slack:U0ALICE, 2026-11-20 10:01 UTC');
    const card = latest(cardsOf(key))!;
    expect(buttons(card).filter((b) => b.actionId === 'incident.step').map((b) => JSON.parse(b.value).s)).toEqual(['find-root-cause', 'assess-impact']);

    // A second tick (another person, a retry, a double click) changes nothing and says who was first.
    clock += 60_000;
    queued.length = 0;
    const again = await markPlaybookStep(deps, key, 'build-timeline', BOB);
    expect(again.outcome).toBe('unchanged');
    expect(again.message).toBe('“Build a timeline of what happened” was already marked done by slack:U0ALICE at 2026-11-20 10:01 UTC.');
    expect((await t.warden.store.get(key))!.version).toBe(after.version);
    expect(queued).toEqual([`notify.${key}.${toJobIdPart(DESTINATION)}.v${after.version}`]);
    expect((await readPlaybookStepStates(redis, keys, key)).get('build-timeline')).toEqual({ state: 'done', by: ALICE, at: tickedAt });
    expect((await t.warden.store.timeline(key)).filter((e) => e.kind === 'step')).toHaveLength(1);
  });

  it('records concurrent clicks on one step once', async () => {
    const key = await openIncident('AbnormalLogin3');
    await moveIncidentPhase(operations, key, 'recover', ALICE);
    const results = await Promise.all([ALICE, BOB, ALICE, BOB].map((who) => markPlaybookStep(deps, key, 'eradicate', who)));
    expect(results.filter((r) => r.outcome === 'changed')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'unchanged')).toHaveLength(3);
    expect((await t.warden.store.timeline(key)).filter((e) => e.kind === 'step')).toHaveLength(1);
  });

  it('refuses unknown steps, unknown incidents and closed incidents, recording nothing', async () => {
    const key = await openIncident('AbnormalLogin4');
    await moveIncidentPhase(operations, key, 'isolate', ALICE);
    const version = (await t.warden.store.get(key))!.version;

    const unknown = await markPlaybookStep(deps, key, 'not-a-step', ALICE);
    expect(unknown).toEqual({
      outcome: 'refused',
      message: expect.stringContaining('has no step "not-a-step"'),
      localized: { en: expect.stringContaining('has no step "not-a-step"'), zh: expect.stringContaining('没有步骤“not-a-step”') },
    });
    expect(await markPlaybookStep(deps, 'inc-000000000000', 'contain', ALICE)).toEqual({
      outcome: 'refused',
      message: 'There is no incident inc-000000000000.',
      localized: { en: 'There is no incident inc-000000000000.', zh: '不存在事件 inc-000000000000。' },
    });
    expect((await t.warden.store.get(key))!.version).toBe(version);

    await closeIncident(operations, key, ALICE);
    const closed = await markPlaybookStep(deps, key, 'contain', ALICE);
    expect(closed).toEqual({
      outcome: 'refused',
      message: `${key} is closed; its playbook steps can no longer change.`,
      localized: { en: `${key} is closed; its playbook steps can no longer change.`, zh: `${key} 已关闭，其处置手册步骤不能再更改。` },
    });
    expect(await redis.hlen(keys.steps(key))).toBe(0);
    expect((await t.warden.store.timeline(key)).filter((e) => e.kind === 'step')).toHaveLength(0);

    // The closed card shows no steps and no buttons.
    await waitForCard(key, (card) => card.blocks.some((b) => b.type === 'fields' && b.fields.some((f) => f.label === 'Phase' && f.value === 'closed')));
    const card = latest(cardsOf(key))!;
    expect(steps(card)).toBeUndefined();
    expect(buttons(card)).toEqual([]);
  });

  it('the incident.step button parses its value strictly and ticks the step for whoever clicked', async () => {
    const key = await openIncident('AbnormalLogin5');
    await moveIncidentPhase(operations, key, 'isolate', ALICE);
    const button = createPlaybookStepButton({ redis, keys, playbooks });
    expect(button.actionId).toBe('incident.step');
    expect(button.permission).toBe('incident.respond');
    const value = JSON.stringify({ k: key, s: 'contain' });
    expect(button.parse(value)).toEqual({ key, stepId: 'contain' });
    for (const bad of [
      '',
      'not json',
      '[]',
      JSON.stringify({ k: key }),
      JSON.stringify({ k: key, s: 'Contain' }),
      JSON.stringify({ k: 'inc-xyz', s: 'contain' }),
      JSON.stringify({ k: key, s: 'contain', x: 1 }),
      JSON.stringify({ k: key, s: 7 }),
      JSON.stringify({ k: key, s: 'a'.repeat(65) }),
      JSON.stringify({ k: key, s: `contain${' '.repeat(200)}` }),
    ]) {
      expect(parsePlaybookStepButtonValue(bad), bad).toBeUndefined();
    }
    const event: InboundEvent = {
      id: 'slack:t1:1',
      platform: 'slack',
      identity: ALICE,
      tenant: 'T0',
      appId: 'A0',
      destination: 'slack:C0SEC',
      receivedAt: clock,
      input: { type: 'action', actionId: 'incident.step', value },
    };
    const result = await button.run(operations, event, button.parse(value)!);
    expect(result.outcome).toBe('changed');
    expect((await readPlaybookStepStates(redis, keys, key)).get('contain')).toMatchObject({ state: 'done', by: ALICE });
    await waitForCard(key, (card) => steps(card)?.items.some((item) => item.startsWith('☑ Contain the affected systems')) === true);
  });
});
