import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from 'pino';
import type { Card } from '../../../cards/card.js';
import { renderLarkCard } from '../../../cards/render-lark-card.js';
import type { Destination } from '../../config/config-schema.js';
import { WardenError } from '../../errors/warden-error.js';
import type { ChatAdapter, HealthCheck } from '../../ports/chat-adapter.js';
import type { MessageRef } from '../../model/message-ref.js';
import { chatRejected } from '../../ports/chat-errors.js';
import { createLarkHttp } from './create-lark-http.js';
import { createLarkLogger } from './create-lark-logger.js';
import { createTokenCache } from './create-token-cache.js';
import { LarkApiError } from './lark-api-error.js';
import { mapLarkError, tokenRefusedCodes, UPDATE_MESSAGE } from './map-lark-error.js';
import { toLarkUuid } from './to-lark-uuid.js';
import { createLarkRoomOperations } from './create-lark-room-operations.js';

/** Options for {@link createLarkAdapter}. */
export interface LarkAdapterOptions {
  /** `LARK_APP_ID`. */
  appId: string;
  /** `LARK_APP_SECRET`. Never logged, never part of an error. */
  appSecret: string;
  /** Open platform base URL (`LARK_DOMAIN`); default `https://open.feishu.cn` (Lark: `https://open.larksuite.com`). */
  domain?: string;
  logger?: Logger;
  /** Per-request timeout in milliseconds; default 10 000. */
  timeoutMs?: number;
}

const defaultDomain = 'https://open.feishu.cn';
const defaultTimeoutMs = 10_000;

/**
 * The Lark (Feishu) side of the {@link ChatAdapter} port, over the official node SDK, which runs the
 * self-built app's tenant_access_token flow (fetch once, cache until 3 minutes before expiry).
 * Cards are sent as `interactive` messages and patched in place; the SDK gets Warden's own HTTP
 * client and token cache so failures are classified precisely and no secret reaches a log.
 */
export function createLarkAdapter(options: LarkAdapterOptions): ChatAdapter {
  if (options.appId.length === 0 || options.appSecret.length === 0) {
    throw new WardenError('config_invalid', 'Lark app id or app secret is empty; set LARK_APP_ID and LARK_APP_SECRET');
  }
  const secrets = [options.appSecret];
  const cache = createTokenCache();
  const client = new lark.Client({
    appId: options.appId,
    appSecret: options.appSecret,
    domain: (options.domain ?? defaultDomain).replace(/\/+$/, ''),
    appType: lark.AppType.SelfBuild,
    loggerLevel: lark.LoggerLevel.error,
    logger: createLarkLogger(options.logger, secrets),
    cache,
    httpInstance: createLarkHttp({ timeoutMs: options.timeoutMs ?? defaultTimeoutMs, secrets }),
  });

  async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof LarkApiError && error.code !== undefined && tokenRefusedCodes.has(error.code)) cache.clear();
      throw mapLarkError(error, operation);
    }
  }

  return {
    platform: 'lark',
    ...createLarkRoomOperations(client, call, options.domain ?? defaultDomain),

    async postCard(destination: Destination, card: Card, postOptions?: { dedupeKey?: string }): Promise<MessageRef> {
      const chatId = toChatId(destination);
      const content = JSON.stringify(renderLarkCard(card));
      const dedupeKey = postOptions?.dedupeKey;
      const result = await call('send message', () =>
        client.im.v1.message.create({
          params: { receive_id_type: 'chat_id' },
          data: {
            receive_id: chatId,
            msg_type: 'interactive',
            content,
            // Lark drops a second send with the same uuid within an hour and returns the first message.
            ...(dedupeKey === undefined || dedupeKey.length === 0 ? {} : { uuid: toLarkUuid(dedupeKey) }),
          },
        }),
      );
      const messageId = result.data?.message_id;
      if (messageId === undefined || messageId.length === 0) throw chatRejected('lark', 'send message: the response has no message_id');
      return { destination, id: messageId };
    },

    async updateCard(ref: MessageRef, card: Card): Promise<void> {
      toChatId(ref.destination);
      // The id becomes a URL path segment: accept only the shape Lark issues.
      if (!/^om_[A-Za-z0-9_-]{1,128}$/.test(ref.id)) throw chatRejected('lark', `"${ref.id.slice(0, 80)}" is not a Lark message id`);
      const content = JSON.stringify(renderLarkCard(card));
      await call(UPDATE_MESSAGE, () => client.im.v1.message.patch({ path: { message_id: ref.id }, data: { content } }));
    },

    async postPrivate(identity: string, _destination: Destination | undefined, card: Card): Promise<void> {
      const match = /^lark:(ou_[A-Za-z0-9_-]{1,64})$/.exec(identity);
      if (match?.[1] === undefined) throw chatRejected('lark', `"${identity.slice(0, 80)}" is not a Lark identity (lark:<open_id>)`);
      const openId = match[1];
      const content = JSON.stringify(renderLarkCard(card));
      // A direct message from the bot: Lark's ephemeral cards exist only in group chats and only for
      // card JSON 1.0, and card callbacks already get their private answer as a toast.
      await call('send private message', () =>
        client.im.v1.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: openId, msg_type: 'interactive', content } }),
      );
    },

    async buzz(ref: MessageRef, identities: readonly string[]): Promise<void> {
      toChatId(ref.destination);
      if (!/^om_[A-Za-z0-9_-]{1,128}$/.test(ref.id)) throw chatRejected('lark', `"${ref.id.slice(0, 80)}" is not a Lark message id`);
      const openIds = identities.flatMap((identity) => /^lark:(ou_[A-Za-z0-9_-]{1,64})$/.exec(identity)?.[1] ?? []);
      if (openIds.length === 0) return;
      // In-app urgent notification of a message the bot sent, to members of its chat:
      // https://open.larksuite.com/document/server-docs/im-v1/buzz-messages/urgent_app (PATCH
      // /open-apis/im/v1/messages/:message_id/urgent_app, user_id_type=open_id, body user_id_list).
      await call('buzz message', () => client.im.v1.message.urgentApp({ path: { message_id: ref.id }, params: { user_id_type: 'open_id' }, data: { user_id_list: openIds } }));
    },

    async checkHealth(): Promise<HealthCheck> {
      try {
        // A cached token is proof enough until it nears expiry; then this fetches (and so validates) a new one.
        await call('tenant access token', () => client.tokenManager.getTenantAccessToken());
        return { ok: true, detail: 'tenant access token available' };
      } catch (error) {
        return { ok: false, detail: error instanceof Error ? error.message : 'tenant access token unavailable' };
      }
    },
  };
}

function toChatId(destination: string): string {
  const match = /^lark:(oc_[A-Za-z0-9_-]{1,64})$/.exec(destination);
  if (match?.[1] === undefined) throw chatRejected('lark', `"${destination.slice(0, 80)}" is not a Lark destination (lark:<chat id>)`);
  return match[1];
}
