import { webApi, type types } from '@slack/bolt';
import type { Logger } from 'pino';
import { renderSlackBlocks } from '../../../cards/render-slack-blocks.js';
import type { Card } from '../../../cards/card.js';
import type { Destination } from '../../config/config-schema.js';
import type { Locale } from '../../shared/messages/locale.js';
import { isWardenError, WardenError } from '../../errors/warden-error.js';
import type { ChatAdapter, HealthCheck } from '../../ports/chat-adapter.js';
import type { MessageRef } from '../../model/message-ref.js';
import { chatRejected } from '../../ports/chat-errors.js';
import { createSlackLogger } from './create-slack-logger.js';
import { mapSlackError } from './map-slack-error.js';
import { createSlackRoomOperations } from './create-slack-room-operations.js';

/** Slack's Web API, unless `SLACK_API_URL` says otherwise. */
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

/** Options for {@link createSlackAdapter}. */
export interface SlackAdapterOptions {
  /** Bot token (`xoxb-…`, from `SLACK_BOT_TOKEN`). Never logged, never part of an error. */
  botToken: string;
  /** Web API base URL (`SLACK_API_URL`); default `https://slack.com/api/`. */
  apiUrl?: string;
  logger?: Logger;
  /** Per-request timeout in milliseconds; default 10 000. */
  timeoutMs?: number;
  /** The language cards are shown in (the configured `locale`); default English. */
  locale?: Locale;
}

const defaultTimeoutMs = 10_000;

/**
 * The Slack side of the {@link ChatAdapter} port, over Bolt's Web API client. The client never
 * retries and never waits out a 429 itself: the notify queue owns retries and per-channel budgets,
 * so a 429 surfaces at once as `ChatRateLimitedError` with Slack's `Retry-After`.
 */
export function createSlackAdapter(options: SlackAdapterOptions): ChatAdapter {
  if (options.botToken.length === 0) throw new WardenError('config_invalid', 'Slack bot token is empty; set SLACK_BOT_TOKEN');
  const secrets = [options.botToken];
  const client = new webApi.WebClient(options.botToken, {
    slackApiUrl: options.apiUrl ?? DEFAULT_SLACK_API_URL,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? defaultTimeoutMs,
    logger: createSlackLogger(options.logger, secrets),
    // A method name must never turn into an absolute URL that would carry the token elsewhere.
    allowAbsoluteUrls: false,
  });

  async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw mapSlackError(error, method, secrets);
    }
  }

  return {
    platform: 'slack',
    ...createSlackRoomOperations(client, secrets),

    async postCard(destination: Destination, card: Card): Promise<MessageRef> {
      const channel = toChannel(destination);
      const rendered = toSlackMessage(card, options.locale);
      const result = await call('chat.postMessage', () =>
        client.chat.postMessage({
          channel,
          text: rendered.text,
          blocks: rendered.blocks,
          // Alert annotations often hold runbook and dashboard links; previews would bury the card.
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
      if (typeof result.ts !== 'string') throw chatRejected('slack', 'chat.postMessage returned no message ts');
      // Slack answers with the real channel id (a DM channel when a user id was the target): chat.update needs it.
      return { destination: `slack:${result.channel ?? channel}`, id: result.ts };
    },

    async updateCard(ref: MessageRef, card: Card): Promise<void> {
      const channel = toChannel(ref.destination);
      if (!/^\d{1,12}\.\d{1,9}$/.test(ref.id)) throw chatRejected('slack', `"${ref.id.slice(0, 80)}" is not a Slack message ts`);
      const rendered = toSlackMessage(card, options.locale);
      await call('chat.update', () => client.chat.update({ channel, ts: ref.id, text: rendered.text, blocks: rendered.blocks }));
    },

    async postPrivate(identity: string, destination: Destination | undefined, card: Card): Promise<void> {
      const user = toUser(identity);
      const rendered = toSlackMessage(card, options.locale);
      if (destination !== undefined) {
        try {
          await call('chat.postEphemeral', () => client.chat.postEphemeral({ channel: toChannel(destination), user, text: rendered.text, blocks: rendered.blocks }));
          return;
        } catch (error) {
          // Ephemeral messages need the bot in the channel (not_in_channel, channel_not_found): the
          // person still gets the answer, as a direct message from the app.
          if (!isWardenError(error, 'chat_rejected')) throw error;
        }
      }
      await call('chat.postMessage', () =>
        client.chat.postMessage({ channel: user, text: rendered.text, blocks: rendered.blocks, unfurl_links: false, unfurl_media: false }),
      );
    },

    async checkHealth(): Promise<HealthCheck> {
      try {
        const result = await call('auth.test', () => client.auth.test());
        return { ok: true, detail: `authenticated as ${result.user ?? 'bot'} in ${result.team ?? 'workspace'}` };
      } catch (error) {
        return { ok: false, detail: error instanceof Error ? error.message : 'auth.test failed' };
      }
    },
  };
}

function toUser(identity: string): string {
  const match = /^slack:([UW][A-Z0-9]{2,32})$/.exec(identity);
  if (match?.[1] === undefined) throw chatRejected('slack', `"${identity.slice(0, 80)}" is not a Slack identity (slack:<user id>)`);
  return match[1];
}

function toChannel(destination: string): string {
  const match = /^slack:([A-Z0-9]{2,32})$/.exec(destination);
  if (match?.[1] === undefined) throw chatRejected('slack', `"${destination.slice(0, 80)}" is not a Slack destination (slack:<channel id>)`);
  return match[1];
}

/** The renderer builds Block Kit as plain records; the typed client wants its own block types. */
function toSlackMessage(card: Card, locale: Locale | undefined): { text: string; blocks: types.KnownBlock[] } {
  const rendered = renderSlackBlocks(card, locale);
  return { text: rendered.text, blocks: rendered.blocks as unknown as types.KnownBlock[] };
}
