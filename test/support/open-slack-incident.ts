import { buildNotification, postNotification } from './build-notification.js';
import type { FakeSlackApi } from './fake-slack-api.js';
import type { TestWarden } from './start-test-warden.js';

/**
 * Opens an incident through Alertmanager's webhook on a Warden that routes to `channel` of the fake
 * Slack, and waits for its card: the incident's key and the card's `ts`, for clicks on it.
 */
export async function openSlackIncident(t: TestWarden, slack: FakeSlackApi, channel: string, alertname: string): Promise<{ key: string; cardTs: string }> {
  const before = slack.messages(channel).length;
  const posted = await postNotification(t.url, t.token, buildNotification({ alertname, instances: ['web-1:9100'] }));
  if (posted.status !== 202) throw new Error(`the webhook answered ${posted.status}: ${JSON.stringify(posted.body)}`);
  await slack.waitFor(() => slack.messages(channel).length > before, 10_000);
  return { key: posted.body.incident as string, cardTs: slack.messages(channel).at(-1)!.ts };
}
