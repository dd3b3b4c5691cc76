import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { createFakeRemediationProgram, type FakeRemediationProgram } from '../../support/fake-remediation-program.js';
import { startFakeRemediationTarget, type FakeRemediationTarget } from '../../support/fake-remediation-target.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { createSlackClicker, remediationActions, responseAccess, resultEntries, slackButtons } from '../../support/remediation-fixtures.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';

const CHANNEL = 'C0BIND';
const [REQUESTER, APPROVER] = ['U0OPS1', 'U0BOSS'];
/** The pattern the example config once suggested: it admits a leading "-", so a label can become an option. */
const LOOSE_PATTERN = '^[a-z0-9-]{1,64}$';

/**
 * An approval is bound to what its card showed: the run is rendered when it is requested, and when
 * the alert group then changes (the target resolves, another alert fires) the approver sees both
 * renderings and approving runs the one shown at request time — for http and exec alike.
 */
describe('approvals run exactly what was rendered when they were requested', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  let slack: FakeSlackApi;
  let target: FakeRemediationTarget;
  let program: FakeRemediationProgram;
  let t: TestWarden;

  const cardOf = (incident: string) => slack.messages(CHANNEL).find((message) => JSON.stringify(message.blocks).includes(incident));
  const cardText = (incident: string) => JSON.stringify(cardOf(incident)?.blocks ?? null);
  const clickerFor = (incident: string) => createSlackClicker({ url: () => t.url, signingSecret, channel: CHANNEL, messageTs: () => cardOf(incident)?.ts ?? '1700000000.000001' });

  async function notify(alertname: string, instances: string[], resolved: string[] = []): Promise<string> {
    const posted = await postNotification(t.url, t.token, buildNotification({ alertname, instances, resolved }));
    expect(posted.status).toBe(202);
    return posted.body.incident as string;
  }

  /** Opens an incident on `first`, requests `actionId`, then lets `first` resolve while `second` fires in the same group. */
  async function requestThenSwap(alertname: string, actionId: string, first: string, second: string) {
    const key = await notify(alertname, [first]);
    await slack.waitFor(() => cardOf(key) !== undefined, 10_000);
    const click = clickerFor(key);
    const run = await click(REQUESTER, 'action.run', { k: key, a: actionId });
    await expect.poll(() => slackButtons(cardOf(key)?.blocks).some((b) => b.action_id === 'approval.approve'), { timeout: 10_000 }).toBe(true);
    expect(cardText(key)).toContain('Approving runs exactly this');
    expect(await notify(alertname, [first, second], [first])).toBe(key);
    await expect.poll(() => cardText(key), { timeout: 10_000 }).toContain('Rendered now (not what approving runs)');
    return { key, click, requestId: run.requestId };
  }

  beforeAll(async () => {
    target = await startFakeRemediationTarget();
    slack = await startFakeSlackApi({ botToken });
    program = await createFakeRemediationProgram();
    t = await startTestWarden({
      name: 'approval-binding',
      tree: {
        slack: { signingSecret, botToken, apiUrl: slack.url, appId: 'A0WARDEN', teamId: 'T0TEAM' },
        routes: [{ to: [`slack:${CHANNEL}`] }],
        access: responseAccess('slack', { operators: [REQUESTER], approvers: [APPROVER] }),
        actions: {
          ...remediationActions(target.url),
          'pause-queue': {
            kind: 'exec',
            phase: 'isolate',
            title: 'Pause queue',
            destructive: true,
            argv: program.argv('pause', '{{ labels.instance }}'),
            params: { 'labels.instance': LOOSE_PATTERN },
          },
        },
        limits: { outbound: { slackPerChannelPerSecond: 50 } },
      },
    });
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await slack?.close();
    await target?.close();
    await program?.remove();
  });

  it('http: the approval card shows the request rendered at request time and the changed one; approving sends the first', async () => {
    const { key, click, requestId } = await requestThenSwap('BindHttp', 'isolate-host', 'web-5:9100', 'evil-1:9100');
    const card = cardText(key);
    expect(card).toContain(`POST ${target.url}/isolate`);
    expect(card).toContain(JSON.stringify(`body ${JSON.stringify({ host: 'web-5:9100', incident: key, mode: 'quarantine' })}`).slice(1, -1));
    expect(card).toContain('labels.instance = web-5:9100');
    expect(card).toContain(JSON.stringify(`body ${JSON.stringify({ host: 'evil-1:9100', incident: key, mode: 'quarantine' })}`).slice(1, -1));

    await click(APPROVER, 'approval.approve', { k: key, r: requestId });
    await expect.poll(() => target.effects.get(`warden-${requestId}`), { timeout: 15_000 }).toBe(1);
    const sent = target.requests.filter((r) => r.idempotencyKey === `warden-${requestId}`);
    expect(sent.map((r) => JSON.parse(r.body))).toEqual([{ host: 'web-5:9100', incident: key, mode: 'quarantine' }]);
    await expect.poll(async () => resultEntries(await t.warden.store.timeline(key), 'isolate-host').map((e) => e.text), { timeout: 10_000 }).toEqual([
      expect.stringMatching(/^OK Isolate host \(run by slack:U0OPS1, approved by slack:U0BOSS\): HTTP 201/),
    ]);
    expect(target.requests.some((r) => r.body.includes('evil-1'))).toBe(false);
  });

  it('exec: approved for "tasks", it runs with "tasks" even after a "--all" alert replaced it', async () => {
    const { key, click, requestId } = await requestThenSwap('BindExec', 'pause-queue', 'tasks', '--all');
    const card = cardText(key);
    expect(card).toContain(JSON.stringify(`argv ${JSON.stringify(program.argv('pause', 'tasks').slice(1))}`).slice(1, -1));
    expect(card).toContain(JSON.stringify(`argv ${JSON.stringify(program.argv('pause', '--all').slice(1))}`).slice(1, -1));

    await click(APPROVER, 'approval.approve', { k: key, r: requestId });
    await expect.poll(async () => resultEntries(await t.warden.store.timeline(key), 'pause-queue').length, { timeout: 15_000 }).toBe(1);
    const runs = await program.runs();
    expect(runs.map((run) => run.argv)).toEqual([['pause', 'tasks']]);
    expect(runs[0]!.env.WARDEN_IDEMPOTENCY_KEY).toBe(`warden-${requestId}`);
  });
});
