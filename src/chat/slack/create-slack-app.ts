import { App, type Receiver } from '@slack/bolt';
import type { Logger } from 'pino';
import { buildNoticeCard } from '../../../cards/build-notice-card.js';
import { renderSlackBlocks } from '../../../cards/render-slack-blocks.js';
import type { SlackConfig } from '../../config/config-schema.js';
import type { Acceptance, AcceptInboundEvent } from '../../inbound/acceptance.js';
import type { InboundEvent } from '../../model/inbound-event.js';
import type { ChatAdapter } from '../../ports/chat-adapter.js';
import { createSlackLogger } from './create-slack-logger.js';
import { toSlackInboundEvent } from './to-slack-inbound-event.js';
import { DEFAULT_SLACK_API_URL } from './create-slack-adapter.js';

/** Options for {@link createSlackApp}. */
export interface SlackAppOptions {
  /** Where deliveries come from: `SlackHttpReceiver` (the route) or Socket Mode. */
  receiver: Receiver;
  slack: SlackConfig;
  /** The core: deduplicates, authorizes, rate-limits and queues. */
  accept: AcceptInboundEvent;
  /** Sends refusals for clicks and mentions, which have no ack body to carry them. */
  adapter: ChatAdapter;
  logger: Logger;
  /** Clock for `receivedAt` when the receiver did not stamp it; default `Date.now`. */
  now?: () => number;
}

const UNREADABLE_COMMAND = 'Warden could not read this command. Try /warden help.';

/**
 * Builds the Bolt `App` for Slack's inbound side: every slash command, every `block_actions` click,
 * and `app_mention` / direct-message events become neutral {@link InboundEvent}s handed to `accept`.
 * Acks follow Bolt's rules: a slash command's refusal rides on its ack as an ephemeral reply (no
 * API call); a click is acked first and a refusal follows through `adapter.postPrivate`; events
 * are acked by Bolt and refusals go the same way. When `accept` throws, nothing is acked and the
 * error propagates to the receiver, which answers with its status so Slack delivers again.
 *
 * The app never calls Slack on its own: `authorize` hands out the configured bot token, so there is
 * no `auth.test` at construction or on the first event.
 */
export function createSlackApp(options: SlackAppOptions): App {
  const { slack, accept, adapter, logger } = options;
  const now = options.now ?? Date.now;
  const secrets = [slack.botToken, slack.signingSecret, slack.appToken ?? ''];
  const app = new App({
    receiver: options.receiver,
    // An `authorize` function instead of `token`: with `token`, Bolt calls auth.test at start.
    authorize: async () => ({ botToken: slack.botToken }),
    tokenVerificationEnabled: false,
    logger: createSlackLogger(logger, secrets),
    clientOptions: { slackApiUrl: slack.apiUrl ?? DEFAULT_SLACK_API_URL, retryConfig: { retries: 0 }, allowAbsoluteUrls: false },
    // Warden's mapping already drops bot messages, and the conversation store would keep state in
    // process memory that no other replica sees.
    ignoreSelf: false,
    convoStore: false,
  });
  // Bolt's default handler logs every error; the receiver and the route's error handler report it
  // once, with its status.
  app.error(async (error) => {
    throw error;
  });

  const receivedAt = (context: Record<string, unknown>): number => (typeof context.receivedAt === 'number' ? context.receivedAt : now());

  const replyPrivately = (event: InboundEvent, acceptance: Acceptance): void => {
    if (acceptance.outcome !== 'refused') return;
    // Not awaited: the ack (or the held Events API answer) must not wait for a Slack API call.
    adapter.postPrivate(event.identity, event.destination, buildNoticeCard(acceptance.message)).catch((error: unknown) => {
      logger.warn({ err: error, event: event.id }, 'sending a private Slack reply failed');
    });
  };

  // https://docs.slack.dev/interactivity/implementing-slash-commands
  app.command(/.*/, async ({ body, ack, context }) => {
    const [event] = toSlackInboundEvent(body, receivedAt(context)) ?? [];
    if (event === undefined) {
      logger.info({ command: String(body.command).slice(0, 40) }, 'Slack slash command not understood');
      await ack(ephemeral(UNREADABLE_COMMAND));
      return;
    }
    const acceptance = await accept(event);
    await ack(acceptance.outcome === 'refused' ? ephemeral(acceptance.message) : undefined);
  });

  // https://docs.slack.dev/interactivity/handling-user-interaction
  app.action({ type: 'block_actions' }, async ({ body, ack, context }) => {
    const events = toSlackInboundEvent(body, receivedAt(context)) ?? [];
    const acceptances: Acceptance[] = [];
    for (const event of events) acceptances.push(await accept(event));
    await ack();
    events.forEach((event, index) => replyPrivately(event, acceptances[index] ?? { outcome: 'queued' }));
  });

  // https://docs.slack.dev/reference/events/app_mention and https://docs.slack.dev/reference/events/message.im
  const onEvent = async ({ body, context }: { body: Record<string, unknown>; context: Record<string, unknown> }): Promise<void> => {
    for (const event of toSlackInboundEvent(body, receivedAt(context)) ?? []) replyPrivately(event, await accept(event));
  };
  app.event('app_mention', onEvent);
  app.event('message', onEvent);
  return app;
}

/**
 * An ephemeral reply carried by a slash command's ack, rendered like every other notice card: the
 * renderer escapes the text, so a refusal that echoes user input cannot mention or link.
 */
function ephemeral(message: string): { response_type: 'ephemeral'; text: string; blocks: Record<string, unknown>[] } {
  const rendered = renderSlackBlocks(buildNoticeCard(message));
  return { response_type: 'ephemeral', text: rendered.text, blocks: rendered.blocks };
}
