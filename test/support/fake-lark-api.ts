import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFakeCallLog, type FakeCallLog } from './fake-call-log.js';
import { parseJsonObject, readBody, startFakeHttpServer } from './fake-http-server.js';
import { describeLarkMessage, isSharedCard, parseCardContent, type FakeLarkMessage } from './fake-lark-message.js';

export type { FakeLarkMessage } from './fake-lark-message.js';

/** One recorded open-platform request (scripted failures included). */
export interface FakeLarkCall {
  /** HTTP method. */
  method: string;
  /** Concrete path, e.g. `/open-apis/im/v1/messages/om_1`. */
  path: string;
  /** Route template, e.g. `PATCH /open-apis/im/v1/messages/:message_id`. */
  route: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  at: number;
  status: number;
  /** Lark `code` of the answer (0 = success). */
  code: number;
}

export interface FakeLarkApi {
  /** Base URL to pass as `LARK_DOMAIN` (no trailing slash). */
  url: string;
  calls: FakeLarkCall[];
  /** Calls whose route (`POST /open-apis/...`), route path or concrete path equals `path`. */
  callsTo(path: string): FakeLarkCall[];
  messages(chatId: string): FakeLarkMessage[];
  /** Direct messages the bot sent to one person (`receive_id_type=open_id`), oldest first. */
  directMessages(openId: string): FakeLarkMessage[];
  /** Tenant access tokens issued so far. */
  readonly tokensIssued: number;
  /** Chat ids the bot is not a member of: sends answer code 230002. */
  unknownChats: Set<string>;
  /** Recalls a message, as its sender or a chat admin can: patching it then answers 230011. */
  recallMessage(messageId: string): void;
  /** Makes a message `days` old: past 14 days, patching it answers 230031. */
  ageMessage(messageId: string, days: number): void;
  /** Group chats made with `POST /open-apis/im/v1/chats`, by chat id. */
  chats: Map<string, FakeLarkChat>;
  /**
   * The next successful request to `route` (e.g. `POST /open-apis/im/v1/chats`) takes effect, but
   * its answer is lost: HTTP 503, as when the connection drops after the platform acted.
   */
  loseAnswerNext(route: string): void;
  /** Lark's `uuid` window passes: a create with a uuid seen before makes a new chat. */
  forgetChatUuids(): void;
  /** Invalidates every issued token (as if they expired): calls then answer 99991663. */
  expireTokens(): void;
  /** The next `count` requests (any path) get HTTP 429, code 99991400, `x-ogw-ratelimit-reset: resetSeconds`. */
  rateLimitNext(count: number, resetSeconds: number): void;
  /** The next request to `path` (route path or concrete path) answers `{ code, msg }` with HTTP `status` (default 400). */
  failNext(path: string, code: number, msg: string, status?: number): void;
  /** The next `count` requests get a bare HTTP `status` (e.g. 502) with an HTML body. */
  failHttpNext(status: number, count?: number): void;
  waitFor(predicate: (calls: FakeLarkCall[]) => boolean, timeoutMs?: number): Promise<void>;
  /**
   * Serves the long connection's endpoint (`POST /callback/ws/endpoint`, app id and secret in the
   * body) with this socket URL and client config; unset, the path is unknown.
   */
  setLongConnection(endpoint: { url: string; clientConfig: Record<string, number> } | undefined): void;
  close(): Promise<void>;
}

/** A group chat the app made: its name, type, members (open ids), pinned message ids, dissolved. */
export interface FakeLarkChat {
  chat_id: string;
  name: string;
  chat_type: string;
  uuid: string | undefined;
  members: Set<string>;
  pins: string[];
  dissolved: boolean;
}

type Answer = { status: number; body: { code: number; msg: string; [key: string]: unknown } };
type Handler = (request: { params: Record<string, string>; query: Record<string, string>; body: Record<string, unknown>; token: string | undefined }) => Answer;

const uuidWindowMs = 60 * 60 * 1000;
/** Lark patches only messages sent within the last 14 days (im/v1/messages/:message_id PATCH). */
const editWindowMs = 14 * 24 * 3600 * 1000;

/**
 * Starts a fake Lark / Feishu open platform on 127.0.0.1 (ephemeral port): the self-built app
 * tenant token endpoint, message send to a chat or, by open_id, to a person (with `uuid` dedupe),
 * message patch, and group chats (create, list, members, pins, dissolve).
 */
export async function startFakeLarkApi(options: { appId: string; appSecret: string; tokenTtlSeconds?: number }): Promise<FakeLarkApi> {
  const log: FakeCallLog<FakeLarkCall> = createFakeCallLog();
  const tokens = new Map<string, number>();
  const messages = new Map<string, FakeLarkMessage>();
  const uuids = new Map<string, { messageId: string; at: number }>();
  const unknownChats = new Set<string>();
  // A direct message lands in the bot's p2p chat with that person; one fake chat id per open_id.
  const p2pChats = new Map<string, string>();
  const chats = new Map<string, FakeLarkChat>();
  const chatUuids = new Map<string, string>();
  const lostAnswers: string[] = [];
  const scripted = { rateLimits: [] as number[], httpFailures: [] as number[], failures: new Map<string, { code: number; msg: string; status: number }[]>() };
  let issued = 0;
  let sequence = 0;
  let longConnection: { url: string; clientConfig: Record<string, number> } | undefined;

  const ok = (data: Record<string, unknown> = {}): Answer => ({ status: 200, body: { code: 0, msg: 'success', data } });
  const fail = (code: number, msg: string, status = 400): Answer => ({ status, body: { code, msg } });
  const authFailure = (token: string | undefined): Answer | undefined => {
    if (token === undefined) return fail(99991661, 'Missing access token for authorization. Please make a request with token attached.');
    const expiresAt = tokens.get(token);
    if (expiresAt === undefined || expiresAt <= Date.now()) return fail(99991663, 'Invalid access token for authorization. Please make a request with token attached.');
    return undefined;
  };

  const routes: { method: string; template: string; pattern: RegExp; handler: Handler }[] = [
    // What the SDK's WSClient asks before it opens the socket; Lark answers a refusal with HTTP 200 and a code.
    route('POST', '/callback/ws/endpoint', ({ body }) => {
      if (longConnection === undefined) return fail(404, 'page not found', 404);
      if (body.AppID !== options.appId || body.AppSecret !== options.appSecret) return { status: 200, body: { code: 514, msg: 'auth failed' } };
      return { status: 200, body: { code: 0, msg: 'ok', data: { URL: longConnection.url, ClientConfig: longConnection.clientConfig } } };
    }),
    route('POST', '/open-apis/auth/v3/tenant_access_token/internal', ({ body }) => {
      if (body.app_id !== options.appId) return fail(10003, 'invalid param');
      if (body.app_secret !== options.appSecret) return fail(10014, 'app secret invalid');
      const token = `t-fake${randomBytes(16).toString('hex')}`;
      const expire = options.tokenTtlSeconds ?? 7200;
      tokens.set(token, Date.now() + expire * 1000);
      issued += 1;
      return { status: 200, body: { code: 0, msg: 'ok', tenant_access_token: token, expire } };
    }),
    route('POST', '/open-apis/im/v1/messages', ({ query, body, token }) => {
      const denied = authFailure(token);
      if (denied !== undefined) return denied;
      let chatId: unknown = body.receive_id;
      if (query.receive_id_type === 'open_id') {
        if (typeof chatId !== 'string' || !/^ou_[A-Za-z0-9_-]+$/.test(chatId)) return fail(99992402, 'field validation failed: receive_id is not an open_id');
        const p2p = p2pChats.get(chatId) ?? `oc_p2p${p2pChats.size + 1}`;
        p2pChats.set(chatId, p2p);
        chatId = p2p;
      } else if (query.receive_id_type !== 'chat_id') return fail(99992402, 'field validation failed: receive_id_type');
      if (typeof chatId !== 'string' || !/^oc_[A-Za-z0-9_-]+$/.test(chatId)) return fail(230001, 'Your request contains an invalid request parameter: receive_id');
      if (unknownChats.has(chatId)) return fail(230002, 'The bot can not be outside the group.');
      const uuid = body.uuid;
      if (uuid !== undefined && (typeof uuid !== 'string' || uuid.length > 50)) return fail(99992402, 'field validation failed: uuid is longer than 50 characters');
      const seen = typeof uuid === 'string' ? uuids.get(uuid) : undefined;
      if (seen !== undefined && Date.now() - seen.at < uuidWindowMs) return ok(describeLarkMessage(messages.get(seen.messageId)!));
      const msgType = String(body.msg_type ?? '');
      const content = parseCardContent(body.content);
      if (content === undefined) return fail(230001, 'Your request contains an invalid request parameter: content is not JSON');
      sequence += 1;
      const message: FakeLarkMessage = { message_id: `om_fake${sequence}`, chat_id: chatId, msg_type: msgType, content, uuid: typeof uuid === 'string' ? uuid : undefined, updates: 0, sent_at: Date.now(), deleted: false };
      messages.set(message.message_id, message);
      if (typeof uuid === 'string') uuids.set(uuid, { messageId: message.message_id, at: Date.now() });
      return ok(describeLarkMessage(message));
    }),
    route('PATCH', '/open-apis/im/v1/messages/:message_id', ({ params, body, token }) => {
      const denied = authFailure(token);
      if (denied !== undefined) return denied;
      const message = messages.get(params.message_id ?? '');
      if (message === undefined) return fail(230001, 'Your request contains an invalid request parameter: message_id');
      if (message.deleted) return fail(230011, 'The message is recalled.');
      if (Date.now() - message.sent_at > editWindowMs) return fail(230031, 'Message can only be modified within 14 days after sending.');
      if (message.msg_type !== 'interactive') return fail(230001, 'Only card messages can be patched.');
      const content = parseCardContent(body.content);
      if (content === undefined) return fail(230001, 'Your request contains an invalid request parameter: content is not JSON');
      if (!isSharedCard(content)) return fail(230001, 'The card is not shared: set config.update_multi to true (JSON 1.0) or use schema 2.0.');
      message.content = content;
      message.updates += 1;
      return ok();
    }),
    // Create a group chat (im/v1/chats): the bot is its owner; a repeated uuid returns the same chat.
    route('POST', '/open-apis/im/v1/chats', ({ query, body, token }) => {
      const denied = authFailure(token);
      if (denied !== undefined) return denied;
      const name = typeof body.name === 'string' ? body.name : '';
      if (name.length === 0 || name.length > 60) return fail(232001, 'Your request contains an invalid request parameter: name');
      const seen = query.uuid === undefined ? undefined : chatUuids.get(query.uuid);
      if (seen !== undefined) return ok(describeChat(chats.get(seen)!));
      sequence += 1;
      const chat: FakeLarkChat = { chat_id: `oc_room${sequence}`, name, chat_type: String(body.chat_type ?? 'private'), uuid: query.uuid, members: new Set(), pins: [], dissolved: false };
      chats.set(chat.chat_id, chat);
      if (query.uuid !== undefined) chatUuids.set(query.uuid, chat.chat_id);
      return ok(describeChat(chat));
    }),
    // The chats the bot is in (im/v1/chats GET), oldest first, `page_size` a page with `page_token`.
    route('GET', '/open-apis/im/v1/chats', ({ query, token }) => {
      const denied = authFailure(token);
      if (denied !== undefined) return denied;
      const size = Math.min(100, Number(query.page_size ?? 20) || 20);
      const start = Number(query.page_token ?? 0) || 0;
      const all = [...chats.values()].filter((chat) => !chat.dissolved);
      const items = all.slice(start, start + size).map(describeChat);
      const more = start + size < all.length;
      return ok({ items, has_more: more, ...(more ? { page_token: String(start + size) } : {}) });
    }),
    route('POST', '/open-apis/im/v1/chats/:chat_id/members', ({ params, query, body, token }) => {
      const denied = authFailure(token);
      if (denied !== undefined) return denied;
      const chat = chats.get(params.chat_id ?? '');
      if (chat === undefined || chat.dissolved) return fail(232006, 'Your request specified a chat_id that is invalid.');
      if (query.member_id_type !== 'open_id') return fail(99992402, 'field validation failed: member_id_type');
      const ids = Array.isArray(body.id_list) ? body.id_list.filter((id): id is string => typeof id === 'string') : [];
      const invalid = ids.filter((id) => !/^ou_[A-Za-z0-9_-]+$/.test(id) || id.startsWith('ou_gone'));
      for (const id of ids) if (!invalid.includes(id)) chat.members.add(id);
      return ok({ invalid_id_list: invalid, not_existed_id_list: [], pending_approval_id_list: [] });
    }),
    route('POST', '/open-apis/im/v1/pins', ({ body, token }) => {
      const denied = authFailure(token);
      if (denied !== undefined) return denied;
      const message = messages.get(String(body.message_id ?? ''));
      if (message === undefined || message.deleted) return fail(232001, 'Your request contains an invalid request parameter: message_id');
      const chat = chats.get(message.chat_id);
      if (chat !== undefined && !chat.pins.includes(message.message_id)) chat.pins.push(message.message_id);
      return ok({ pin: { message_id: message.message_id, chat_id: message.chat_id } });
    }),
    route('DELETE', '/open-apis/im/v1/chats/:chat_id', ({ params, token }) => {
      const denied = authFailure(token);
      if (denied !== undefined) return denied;
      const chat = chats.get(params.chat_id ?? '');
      if (chat === undefined) return fail(232006, 'Your request specified a chat_id that is invalid.');
      if (chat.dissolved) return fail(232009, 'Your request specified a chat that has been dissolved.');
      chat.dissolved = true;
      unknownChats.add(chat.chat_id);
      return ok();
    }),
    // In-app urgent notification of a message the bot sent (im/v1/messages/:message_id/urgent_app).
    route('PATCH', '/open-apis/im/v1/messages/:message_id/urgent_app', ({ params, query, body, token }) => {
      const denied = authFailure(token);
      if (denied !== undefined) return denied;
      if (query.user_id_type !== 'open_id') return fail(99992402, 'field validation failed: user_id_type');
      const message = messages.get(params.message_id ?? '');
      if (message === undefined || message.deleted) return fail(230001, 'Your request contains an invalid request parameter: message_id');
      const users = body.user_id_list;
      if (!Array.isArray(users) || users.length === 0 || !users.every((u) => typeof u === 'string' && /^ou_[A-Za-z0-9_-]+$/.test(u))) return fail(99992402, 'field validation failed: user_id_list');
      return ok({ invalid_user_id_list: [] });
    }),
  ];

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = (request.method ?? 'GET').toUpperCase();
    const body = parseJsonObject(await readBody(request));
    const query = Object.fromEntries(url.searchParams);
    const matched = routes.find((candidate) => candidate.method === method && candidate.pattern.test(url.pathname));
    const routeName = matched === undefined ? `${method} ${url.pathname}` : `${method} ${matched.template}`;
    const record = (status: number, code: number) => log.push({ method, path: url.pathname, route: routeName, query, body, at: Date.now(), status, code });
    const send = (answer: Answer, headers: Record<string, string> = {}) => {
      record(answer.status, answer.body.code);
      response.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      response.end(JSON.stringify(answer.body));
    };

    const reset = scripted.rateLimits.shift();
    if (reset !== undefined) {
      return send(fail(99991400, 'request trigger frequency limit', 429), { 'x-ogw-ratelimit-limit': '50', 'x-ogw-ratelimit-reset': String(reset) });
    }
    const httpFailure = scripted.httpFailures.shift();
    if (httpFailure !== undefined) {
      record(httpFailure, -1);
      response.writeHead(httpFailure, { 'content-type': 'text/html' });
      return void response.end('<html><body>gateway error</body></html>');
    }
    const failureKey = [matched?.template, url.pathname].find((key) => key !== undefined && (scripted.failures.get(key)?.length ?? 0) > 0);
    const failure = failureKey === undefined ? undefined : scripted.failures.get(failureKey)!.shift();
    if (failure !== undefined) return send(fail(failure.code, failure.msg, failure.status));
    if (matched === undefined) return send(fail(404, 'page not found', 404));
    const params = (matched.pattern.exec(url.pathname)?.groups ?? {}) as Record<string, string>;
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const answer = matched.handler({ params, query, body, token });
    const lost = lostAnswers.indexOf(routeName);
    if (lost >= 0 && answer.body.code === 0) {
      lostAnswers.splice(lost, 1);
      record(503, -1);
      response.writeHead(503, { 'content-type': 'text/html' });
      return void response.end('<html><body>gateway error</body></html>');
    }
    send(answer);
  }

  const server = await startFakeHttpServer(handle);

  return {
    url: `http://127.0.0.1:${server.port}`,
    calls: log.calls,
    callsTo: (path) => log.calls.filter((call) => call.route === path || call.path === path || call.route.endsWith(` ${path}`)),
    messages: (chatId) => [...messages.values()].filter((message) => message.chat_id === chatId),
    directMessages: (openId) => [...messages.values()].filter((message) => message.chat_id === p2pChats.get(openId)),
    get tokensIssued() {
      return issued;
    },
    unknownChats,
    recallMessage(messageId) {
      const message = messages.get(messageId);
      if (message !== undefined) message.deleted = true;
    },
    ageMessage(messageId, days) {
      const message = messages.get(messageId);
      if (message !== undefined) message.sent_at = Date.now() - days * 24 * 3600 * 1000;
    },
    chats,
    expireTokens: () => tokens.clear(),
    rateLimitNext(count, resetSeconds) {
      for (let i = 0; i < count; i += 1) scripted.rateLimits.push(resetSeconds);
    },
    failNext(path, code, msg, status = 400) {
      const queue = scripted.failures.get(path) ?? [];
      queue.push({ code, msg, status });
      scripted.failures.set(path, queue);
    },
    failHttpNext(status, count = 1) {
      for (let i = 0; i < count; i += 1) scripted.httpFailures.push(status);
    },
    loseAnswerNext(route) {
      lostAnswers.push(route);
    },
    forgetChatUuids() {
      chatUuids.clear();
    },
    waitFor: log.waitFor,
    setLongConnection(endpoint) {
      longConnection = endpoint;
    },
    close: server.close,
  };
}

function describeChat(chat: FakeLarkChat): Record<string, unknown> {
  return { chat_id: chat.chat_id, name: chat.name, chat_type: chat.chat_type, chat_mode: 'group', owner_id_type: 'app_id', owner_id: 'cli_fake' };
}

function route(method: string, template: string, handler: Handler) {
  const pattern = new RegExp(`^${template.replace(/:([a-z_]+)/g, '(?<$1>[^/]+)')}$`);
  return { method, template, pattern, handler };
}
