import { randomBytes } from 'node:crypto';
import { toRequestId } from '../../src/inbound/action-buttons.js';
import { startFakeSlackApi, type FakeSlackApi } from './fake-slack-api.js';
import { openSlackIncident } from './open-slack-incident.js';
import { createSlackClicker, responseAccess } from './remediation-fixtures.js';
import { startTestWarden, type ConfigTree, type TestWarden } from './start-test-warden.js';
import { joinTree, startWorkerChild, type WorkerChild } from './start-worker-child.js';
import { randomSecret, TEST_REDIS_URL } from './test-redis.js';

/** The one action of the kit, its button's label and who may press it. */
export const EXEC_ACTION_ID = 'contain-host';
export const EXEC_ACTION_TITLE = 'Contain host';
const CHANNEL = 'C0EXEC';
const OPERATOR = 'U0OPS1';

/**
 * Warden in this process (`web`, or `all` to run its workers here too) with one exec remediation,
 * `contain-host`, that anyone in `operators` may run at once, cards on a fake Slack API, and Warden
 * worker processes on demand.
 */
export interface ExecRemediationKit {
  t: TestWarden;
  slack: FakeSlackApi;
  /** The incident's card as posted and updated so far (Block Kit JSON), or `null`. */
  cardText(key: string): string;
  /** Starts a worker process that joins this Warden; `stopAll` stops every one still running. */
  worker(options?: { shutdownGraceMs?: number }): Promise<WorkerChild>;
  /**
   * Opens a new incident and presses `contain-host` on its card. `beforeClick` gets the request id
   * the click will carry, before it is sent.
   */
  request(beforeClick?: (requestId: string) => Promise<void>): Promise<{ key: string; requestId: string }>;
  /** The output of every worker process, to print when a test failed. */
  workerOutput(): string;
  stopAll(): Promise<void>;
  close(): Promise<void>;
}

export async function startExecRemediationKit(options: { name: string; argv: string[]; timeoutSeconds: number; role: 'web' | 'all' }): Promise<ExecRemediationKit> {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  const slack = await startFakeSlackApi({ botToken });
  const tree: ConfigTree = {
    slack: { signingSecret, botToken, apiUrl: slack.url, appId: 'A0WARDEN', teamId: 'T0TEAM' },
    routes: [{ to: [`slack:${CHANNEL}`] }],
    access: responseAccess('slack', { operators: [OPERATOR], approvers: [] }),
    actions: { [EXEC_ACTION_ID]: { kind: 'exec', phase: 'isolate', title: EXEC_ACTION_TITLE, argv: options.argv, timeoutSeconds: options.timeoutSeconds } },
    limits: { outbound: { slackPerChannelPerSecond: 50 } },
  };
  const t = await startTestWarden({ name: options.name, role: options.role, tree });
  const children: WorkerChild[] = [];
  const running: WorkerChild[] = [];
  const cardOf = (key: string) => slack.messages(CHANNEL).find((message) => JSON.stringify(message.blocks).includes(key));

  const kit: ExecRemediationKit = {
    t,
    slack,
    cardText: (key) => JSON.stringify(cardOf(key)?.blocks ?? null),
    async worker(workerOptions = {}) {
      const child = await startWorkerChild({ tree: joinTree(t, tree), redisUrl: TEST_REDIS_URL, shutdownGraceMs: workerOptions.shutdownGraceMs });
      children.push(child);
      running.push(child);
      return child;
    },
    async request(beforeClick) {
      const { key } = await openSlackIncident(t, slack, CHANNEL, `SuspiciousProcess${randomBytes(3).toString('hex')}`);
      const ids = { triggerId: `trigger-${randomBytes(6).toString('hex')}`, actionTs: '1700000000.000001' };
      const requestId = toRequestId({ id: `slack:${ids.triggerId}:${ids.actionTs}` });
      await beforeClick?.(requestId);
      const click = createSlackClicker({ url: () => t.url, signingSecret, channel: CHANNEL, messageTs: () => cardOf(key)!.ts });
      const { status } = await click(OPERATOR, 'action.run', { k: key, a: EXEC_ACTION_ID }, ids);
      if (status !== 200) throw new Error(`the click was answered ${status}`);
      return { key, requestId };
    },
    workerOutput: () => children.map((child) => `worker child ${child.pid}:\n${child.output()}`).join('\n'),
    async stopAll() {
      for (const child of running.splice(0)) await child.stop();
    },
    async close() {
      await kit.stopAll();
      await t.dispose();
      await slack.close();
    },
  };
  return kit;
}
