import type * as lark from '@larksuiteoapi/node-sdk';
import type { ChatAdapter } from '../../ports/chat-adapter.js';
import { chatRejected } from '../../ports/chat-errors.js';
import { RoomRefusedError } from '../../ports/chat-room.js';
import { isWardenError } from '../../errors/warden-error.js';
import { LarkApiError } from './lark-api-error.js';
import { toLarkUuid } from './to-lark-uuid.js';

type RoomOperations = Required<Pick<ChatAdapter, 'createRoom' | 'inviteToRoom' | 'pinMessage' | 'archiveRoom'>>;
type Call = <T>(operation: string, run: () => Promise<T>) => Promise<T>;

/**
 * The app lacks a scope: 99991672 (tenant token scopes; Lark's message names them, e.g. "[im:chat,
 * im:chat:create]"), 99991679 (user token scopes). https://open.feishu.cn/document/server-docs/api-call-guide/generic-error-code
 */
const scopeCodes = new Set([99991672, 99991679]);
/** How many pages of the bot's chats a lookup reads (100 each) before it gives up. */
const MAX_CHAT_PAGES = 10;
/** The chat was dissolved already: https://open.feishu.cn/document/server-docs/group/chat/delete (232009). */
const DISSOLVED = 232009;

/** The scope each operation needs when Lark's answer does not name one (the API pages' "Required scopes"). */
const defaultScopes: Record<string, string> = {
  'create chat': 'im:chat:create',
  'add chat members': 'im:chat.members:write_only',
  'pin message': 'im:message.pins:write_only',
  'dissolve chat': 'im:chat:delete',
  'list chats': 'im:chat:readonly',
};

/**
 * War rooms on Lark: a group chat made by the app (`POST /open-apis/im/v1/chats`, the bot its owner,
 * `uuid` so a repeated create within Lark's window returns the same chat; past it, a chat an earlier
 * attempt made but did not record is found by its name among the bot's chats), people added with
 * `POST /open-apis/im/v1/chats/:chat_id/members`, the card pinned with `POST /open-apis/im/v1/pins`,
 * and dissolved with `DELETE /open-apis/im/v1/chats/:chat_id` — which Lark allows only to the
 * chat's owner (or its creator with `im:chat:operate_as_owner`): any other refusal of it is
 * `not_allowed`, and people are asked to archive the room themselves. Lark group names need not be
 * unique, so there is no "name taken".
 */
export function createLarkRoomOperations(client: lark.Client, call: Call, domain: string): RoomOperations {
  const request = <T>(operation: string, payload: { method: string; url: string; params?: Record<string, unknown>; data?: unknown }) =>
    call(operation, async () => {
      try {
        return (await client.request(payload)) as T;
      } catch (error) {
        if (error instanceof LarkApiError && error.code !== undefined && scopeCodes.has(error.code)) {
          const named = /\[([a-z0-9:._, -]{1,200})\]/.exec(error.message)?.[1];
          const permission = named ?? defaultScopes[operation];
          throw new RoomRefusedError('lark', 'missing_permission', `${operation}: ${error.message}`, permission);
        }
        throw error;
      }
    });
  /**
   * The chat named `name` the bot is in (`GET /open-apis/im/v1/chats`, 100 a page:
   * https://open.feishu.cn/document/server-docs/group/chat/list), or undefined. Without the
   * permission to list chats it finds none: the create's `uuid` still drops a repeat within Lark's window.
   */
  const findChat = async (name: string): Promise<string | undefined> => {
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_CHAT_PAGES; page += 1) {
      let answer: { data?: { items?: { chat_id?: string; name?: string }[]; has_more?: boolean; page_token?: string } };
      try {
        answer = await request('list chats', { method: 'GET', url: '/open-apis/im/v1/chats', params: { page_size: 100, ...(pageToken ? { page_token: pageToken } : {}) } });
      } catch (error) {
        if (error instanceof RoomRefusedError) return undefined;
        throw error;
      }
      const found = answer.data?.items?.find((item) => item.name === name && typeof item.chat_id === 'string' && /^oc_[A-Za-z0-9_-]{1,64}$/.test(item.chat_id));
      if (found?.chat_id !== undefined) return found.chat_id;
      pageToken = answer.data?.has_more === true ? answer.data.page_token : undefined;
      if (!pageToken) return undefined;
    }
    return undefined;
  };
  // Lark's app link opens a chat by id: https://open.feishu.cn/document/client-docs/deep-linking/open-a-chat
  const appLink = /larksuite\.com/.test(domain) ? 'https://applink.larksuite.com' : 'https://applink.feishu.cn';

  return {
    async createRoom(spec) {
      if (spec.adopt) {
        // An earlier attempt may have made the chat past the uuid's window: adopt it by its name.
        const found = await findChat(spec.name);
        if (found !== undefined) return { destination: `lark:${found}`, name: spec.name, url: `${appLink}/client/chat/open?openChatId=${found}` };
      }
      const answer = await request<{ data?: { chat_id?: string; name?: string } }>('create chat', {
        method: 'POST',
        url: '/open-apis/im/v1/chats',
        params: { user_id_type: 'open_id', set_bot_manager: true, uuid: toLarkUuid(spec.dedupeKey) },
        data: { name: spec.name, chat_mode: 'group', chat_type: spec.private ? 'private' : 'public', description: 'Warden war room' },
      });
      const chatId = answer.data?.chat_id;
      if (typeof chatId !== 'string' || !/^oc_[A-Za-z0-9_-]{1,64}$/.test(chatId)) throw chatRejected('lark', 'create chat: the response has no chat_id');
      return { destination: `lark:${chatId}`, name: answer.data?.name ?? spec.name, url: `${appLink}/client/chat/open?openChatId=${chatId}` };
    },

    async inviteToRoom(room, identities) {
      const chatId = toChatId(room);
      const openIds = identities.flatMap((identity) => /^lark:(ou_[A-Za-z0-9_-]{1,64})$/.exec(identity)?.[1] ?? []);
      if (openIds.length === 0) return { refused: [] };
      const answer = await request<{ data?: { invalid_id_list?: string[]; not_existed_id_list?: string[] } }>('add chat members', {
        method: 'POST',
        url: `/open-apis/im/v1/chats/${chatId}/members`,
        // succeed_type 1: add the valid ids and list the others, instead of refusing them all.
        params: { member_id_type: 'open_id', succeed_type: 1 },
        data: { id_list: openIds },
      });
      const refused = [...(answer.data?.invalid_id_list ?? []), ...(answer.data?.not_existed_id_list ?? [])];
      return { refused: refused.map((id) => `lark:${id}`) };
    },

    async pinMessage(ref) {
      toChatId(ref.destination);
      if (!/^om_[A-Za-z0-9_-]{1,128}$/.test(ref.id)) throw chatRejected('lark', `"${ref.id.slice(0, 80)}" is not a Lark message id`);
      await request('pin message', { method: 'POST', url: '/open-apis/im/v1/pins', data: { message_id: ref.id } });
    },

    async archiveRoom(room) {
      const chatId = toChatId(room);
      try {
        await request('dissolve chat', { method: 'DELETE', url: `/open-apis/im/v1/chats/${chatId}` });
        return 'archived';
      } catch (error) {
        if (error instanceof RoomRefusedError || !isWardenError(error, 'chat_rejected')) throw error;
        if (error.message.includes(`code ${DISSOLVED},`)) return 'archived';
        return 'not_allowed';
      }
    },
  };
}

function toChatId(destination: string): string {
  const match = /^lark:(oc_[A-Za-z0-9_-]{1,64})$/.exec(destination);
  if (match?.[1] === undefined) throw chatRejected('lark', `"${destination.slice(0, 80)}" is not a Lark chat`);
  return match[1];
}
