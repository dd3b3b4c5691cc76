import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFakeCallLog, type FakeCallLog } from './fake-call-log.js';
import { parseJsonObject, readBody, startFakeHttpServer } from './fake-http-server.js';

/** One recorded Web API request (scripted failures included). */
export interface FakeSlackCall {
  /** Web API method, e.g. `chat.postMessage`. */
  method: string;
  /** Decoded body: form fields or JSON; `blocks`, `view`, `attachments`, `metadata` parsed from JSON. */
  body: Record<string, unknown>;
  at: number;
  /** HTTP status the fake answered with. */
  status: number;
  /** `error` of an `ok: false` answer. */
  error?: string;
}

/** A message as the fake channel holds it; `updates` counts in-place `chat.update`s. */
export interface FakeSlackMessage {
  channel: string;
  ts: string;
  text: string | undefined;
  blocks: unknown;
  updates: number;
}

export interface FakeSlackApi {
  /** Base URL for `SLACK_API_URL`, ending in `/api/`. */
  url: string;
  calls: FakeSlackCall[];
  callsTo(method: string): FakeSlackCall[];
  /**
   * The method of every request as it arrives, before any scripted delay or failure: a request
   * held by `delayNext` is here while it is not yet in `calls`.
   */
  received: string[];
  messages(channel: string): FakeSlackMessage[];
  ephemerals: { channel: string; user: string; text: string | undefined; blocks: unknown }[];
  /** Channel ids that answer `channel_not_found`. */
  unknownChannels: Set<string>;
  /** Archived channel ids: posting and updating there answer `is_archived`. */
  archivedChannels: Set<string>;
  /** Channels made with `conversations.create`, by id: name, privacy, members (user ids), pinned message ts, archived. */
  rooms: Map<string, FakeSlackRoom>;
  /** User ids `conversations.invite` answers `user_not_found` for (besides any `U0GONE…`), until removed. */
  unknownUsers: Set<string>;
  /** Channel names already in use in the workspace: `conversations.create` with one answers `name_taken`. */
  takenNames: Set<string>;
  /** The next call to `method` answers `missing_scope`, naming `needed` (as Slack does). */
  refuseScope(method: string, needed: string): void;
  /** Deletes a message, as someone in the channel can: `chat.update` of it then answers `message_not_found`. */
  deleteMessage(channel: string, ts: string): void;
  /** From now on `chat.update` of this message answers `error` (`cant_update_message`, `edit_window_closed`). */
  refuseUpdates(channel: string, ts: string, error: string): void;
  /** The next `count` requests (any method) get HTTP 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  /** The next call to `method` answers `{ ok: false, error }`. */
  failNext(method: string, error: string): void;
  /**
   * The next successful call to `method` takes effect, but its answer is lost: HTTP 503, as when
   * the connection drops after Slack acted.
   */
  loseAnswerNext(method: string): void;
  /** The next `count` requests get a bare HTTP `status` (e.g. 503). */
  failHttpNext(status: number, count?: number): void;
  /** The next `count` requests are answered only after `ms` (a slow platform). */
  delayNext(ms: number, count?: number): void;
  /** The next request is answered only once `release()` is called (a platform slower than anything the test waits for). */
  holdNext(): { release: () => void };
  /** Resolves once the recorded calls satisfy `predicate`; rejects after `timeoutMs` (default 5000). */
  waitFor(predicate: (calls: FakeSlackCall[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A channel the bot made (`conversations.create`). */
export interface FakeSlackRoom {
  id: string;
  name: string;
  isPrivate: boolean;
  members: Set<string>;
  pins: string[];
  archived: boolean;
}

const jsonFields = ['blocks', 'attachments', 'view', 'metadata'];

/** Starts a fake Slack Web API on 127.0.0.1 (ephemeral port) for integration tests. */
export async function startFakeSlackApi(options: {
  botToken: string;
  unknownChannels?: string[];
  /** Serve `apps.connections.open` to this app-level token, pointing at this Socket Mode URL. */
  socket?: { appToken: string; url: string };
}): Promise<FakeSlackApi> {
  const log: FakeCallLog<FakeSlackCall> = createFakeCallLog();
  const channels = new Map<string, Map<string, FakeSlackMessage>>();
  const unknownChannels = new Set(options.unknownChannels ?? []);
  const archivedChannels = new Set<string>();
  const refusedUpdates = new Map<string, string>();
  const ephemerals: FakeSlackApi['ephemerals'] = [];
  const received: string[] = [];
  const rooms = new Map<string, FakeSlackRoom>();
  const takenNames = new Set<string>();
  const unknownUsers = new Set<string>();
  const scopeRefusals = new Map<string, string[]>();
  const scripted = { rateLimits: [] as number[], httpFailures: [] as number[], platformFailures: new Map<string, string[]>(), delays: [] as number[], holds: [] as Promise<void>[], lostAnswers: [] as string[] };
  let sequence = 0;

  const handlers: Record<string, (body: Record<string, unknown>) => Record<string, unknown>> = {
    'auth.test': () => ({ url: 'https://warden-test.slack.com/', team: 'Warden Test', user: 'warden', team_id: 'T0TEST', user_id: 'U0WARDEN', bot_id: 'B0WARDEN' }),
    'chat.postMessage': (body) => {
      const channel = requireChannel(body);
      if (archivedChannels.has(channel)) throw new SlackFailure('is_archived');
      if (body.text === undefined && body.blocks === undefined) throw new SlackFailure('no_text');
      if (body.blocks !== undefined && !Array.isArray(body.blocks)) throw new SlackFailure('invalid_blocks');
      sequence += 1;
      const ts = `${Math.floor(Date.now() / 1000)}.${String(sequence).padStart(6, '0')}`;
      const message: FakeSlackMessage = { channel, ts, text: stringOrUndefined(body.text), blocks: body.blocks, updates: 0 };
      channelMessages(channel).set(ts, message);
      return { channel, ts, message: { type: 'message', text: message.text, blocks: message.blocks, ts, bot_id: 'B0WARDEN' } };
    },
    'chat.update': (body) => {
      const channel = requireChannel(body);
      if (archivedChannels.has(channel)) throw new SlackFailure('is_archived');
      const message = channelMessages(channel).get(String(body.ts ?? ''));
      if (message === undefined) throw new SlackFailure('message_not_found');
      const refused = refusedUpdates.get(`${channel}/${message.ts}`);
      if (refused !== undefined) throw new SlackFailure(refused);
      if (body.blocks !== undefined && !Array.isArray(body.blocks)) throw new SlackFailure('invalid_blocks');
      message.text = stringOrUndefined(body.text) ?? message.text;
      message.blocks = body.blocks ?? message.blocks;
      message.updates += 1;
      return { channel, ts: message.ts, text: message.text, message: { text: message.text, blocks: message.blocks } };
    },
    'chat.postEphemeral': (body) => {
      const channel = requireChannel(body);
      if (typeof body.user !== 'string' || body.user.length === 0) throw new SlackFailure('user_not_in_channel');
      ephemerals.push({ channel, user: body.user, text: stringOrUndefined(body.text), blocks: body.blocks });
      sequence += 1;
      return { message_ts: `${Math.floor(Date.now() / 1000)}.${String(sequence).padStart(6, '0')}` };
    },
    // https://docs.slack.dev/reference/methods/conversations.create: names are lowercase, up to 80 characters.
    'conversations.create': (body) => {
      const name = String(body.name ?? '');
      if (!/^[a-z0-9_-]{1,80}$/.test(name)) throw new SlackFailure('invalid_name_specials');
      if (takenNames.has(name)) throw new SlackFailure('name_taken');
      takenNames.add(name);
      sequence += 1;
      const room: FakeSlackRoom = { id: `C0ROOM${sequence}`, name, isPrivate: body.is_private === true || body.is_private === 'true', members: new Set(['U0WARDEN']), pins: [], archived: false };
      rooms.set(room.id, room);
      return { channel: { id: room.id, name, is_private: room.isPrivate, is_channel: !room.isPrivate, is_group: room.isPrivate } };
    },
    // https://docs.slack.dev/reference/methods/users.conversations: the bot's channels, `limit` a page with `cursor`.
    'users.conversations': (body) => {
      const types = String(body.types ?? 'public_channel').split(',');
      const limit = Math.min(1000, Number(body.limit ?? 100) || 100);
      const start = Number(body.cursor ?? 0) || 0;
      const excludeArchived = body.exclude_archived === true || body.exclude_archived === 'true';
      const mine = [...rooms.values()].filter((room) => room.members.has('U0WARDEN') && types.includes(room.isPrivate ? 'private_channel' : 'public_channel') && !(excludeArchived && room.archived));
      const channels = mine.slice(start, start + limit).map((room) => ({ id: room.id, name: room.name, is_private: room.isPrivate, is_archived: room.archived }));
      return { channels, response_metadata: { next_cursor: start + limit < mine.length ? String(start + limit) : '' } };
    },
    'conversations.invite': (body) => {
      const room = requireRoom(body);
      const users = String(body.users ?? '').split(',').filter((u) => u.length > 0);
      if (users.length === 0) throw new SlackFailure('no_user');
      const errors = users.filter((u) => !/^[UW][A-Z0-9]{2,32}$/.test(u) || u.startsWith('U0GONE') || unknownUsers.has(u)).map((user) => ({ user, ok: false, error: 'user_not_found' }));
      const already = users.filter((u) => room.members.has(u));
      if (errors.length > 0 && !(body.force === true || body.force === 'true')) throw new SlackFailure('user_not_found');
      if (users.length === 1 && already.length === 1) throw new SlackFailure('already_in_channel');
      for (const user of users) if (!errors.some((e) => e.user === user)) room.members.add(user);
      return { channel: { id: room.id }, ...(errors.length > 0 ? { errors } : {}) };
    },
    'pins.add': (body) => {
      const channel = requireChannel(body);
      const ts = String(body.timestamp ?? '');
      if (channelMessages(channel).get(ts) === undefined) throw new SlackFailure('message_not_found');
      const room = rooms.get(channel);
      if (room?.pins.includes(ts)) throw new SlackFailure('already_pinned');
      room?.pins.push(ts);
      return {};
    },
    'conversations.archive': (body) => {
      const room = requireRoom(body);
      if (room.archived) throw new SlackFailure('already_archived');
      room.archived = true;
      archivedChannels.add(room.id);
      return {};
    },
    'apps.connections.open': () => {
      if (options.socket === undefined) throw new SlackFailure('not_allowed_token_type');
      return { url: options.socket.url };
    },
    'views.open': (body) => {
      if (typeof body.trigger_id !== 'string' || body.trigger_id.length === 0) throw new SlackFailure('invalid_trigger_id');
      if (typeof body.view !== 'object' || body.view === null) throw new SlackFailure('invalid_arguments');
      sequence += 1;
      return { view: { id: `V0${sequence}`, ...(body.view as Record<string, unknown>) } };
    },
  };

  function channelMessages(channel: string): Map<string, FakeSlackMessage> {
    let messages = channels.get(channel);
    if (messages === undefined) channels.set(channel, (messages = new Map()));
    return messages;
  }

  function requireRoom(body: Record<string, unknown>): FakeSlackRoom {
    const room = rooms.get(requireChannel(body));
    if (room === undefined) throw new SlackFailure('channel_not_found');
    return room;
  }

  function requireChannel(body: Record<string, unknown>): string {
    const channel = body.channel;
    if (typeof channel !== 'string' || !/^[CDGU][A-Z0-9]{1,31}$/.test(channel) || unknownChannels.has(channel)) throw new SlackFailure('channel_not_found');
    return channel;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = new URL(request.url ?? '/', 'http://127.0.0.1').pathname.replace(/^\/api\//, '');
    const body = parseBody(await readBody(request), request.headers['content-type'] ?? '');
    received.push(method);
    const record = (status: number, error?: string) => log.push({ method, body, at: Date.now(), status, ...(error === undefined ? {} : { error }) });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      response.end(JSON.stringify(payload));
    };

    const delay = scripted.delays.shift();
    if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
    const hold = scripted.holds.shift();
    if (hold !== undefined) await hold;
    const retryAfter = scripted.rateLimits.shift();
    if (retryAfter !== undefined) {
      record(429, 'ratelimited');
      return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
    }
    const httpFailure = scripted.httpFailures.shift();
    if (httpFailure !== undefined) {
      record(httpFailure);
      response.writeHead(httpFailure, { 'content-type': 'text/html' });
      return void response.end('<html><body>upstream error</body></html>');
    }
    const presented = bearer(request.headers.authorization) ?? stringOrUndefined(body.token);
    const handler = handlers[method];
    // apps.connections.open takes the app-level token, every other method the bot token.
    const expected = method === 'apps.connections.open' ? options.socket?.appToken : options.botToken;
    const needed = presented === options.botToken ? scopeRefusals.get(method)?.shift() : undefined;
    if (needed !== undefined) {
      record(200, 'missing_scope');
      return send(200, { ok: false, error: 'missing_scope', needed, provided: 'chat:write,commands' });
    }
    const failure = presented === undefined ? 'not_authed' : presented !== expected ? 'invalid_auth' : handler === undefined ? 'unknown_method' : scripted.platformFailures.get(method)?.shift();
    if (failure !== undefined) {
      record(200, failure);
      return send(200, { ok: false, error: failure });
    }
    try {
      const result = handler!(body);
      const lost = scripted.lostAnswers.indexOf(method);
      if (lost >= 0) {
        scripted.lostAnswers.splice(lost, 1);
        record(503);
        response.writeHead(503, { 'content-type': 'text/html' });
        return void response.end('<html><body>upstream error</body></html>');
      }
      record(200);
      send(200, { ok: true, ...result });
    } catch (error) {
      const code = error instanceof SlackFailure ? error.code : 'internal_error';
      record(200, code);
      send(200, { ok: false, error: code });
    }
  }

  const server = await startFakeHttpServer(handle);

  return {
    url: `http://127.0.0.1:${server.port}/api/`,
    calls: log.calls,
    callsTo: (method) => log.calls.filter((call) => call.method === method),
    received,
    messages: (channel) => [...(channels.get(channel)?.values() ?? [])],
    ephemerals,
    unknownChannels,
    archivedChannels,
    rooms,
    takenNames,
    unknownUsers,
    refuseScope(method, needed) {
      const queue = scopeRefusals.get(method) ?? [];
      queue.push(needed);
      scopeRefusals.set(method, queue);
    },
    deleteMessage(channel, ts) {
      channels.get(channel)?.delete(ts);
    },
    refuseUpdates(channel, ts, error) {
      refusedUpdates.set(`${channel}/${ts}`, error);
    },
    rateLimitNext(count, retryAfterSeconds) {
      for (let i = 0; i < count; i += 1) scripted.rateLimits.push(retryAfterSeconds);
    },
    failNext(method, error) {
      const queue = scripted.platformFailures.get(method) ?? [];
      queue.push(error);
      scripted.platformFailures.set(method, queue);
    },
    loseAnswerNext(method) {
      scripted.lostAnswers.push(method);
    },
    failHttpNext(status, count = 1) {
      for (let i = 0; i < count; i += 1) scripted.httpFailures.push(status);
    },
    delayNext(ms, count = 1) {
      for (let i = 0; i < count; i += 1) scripted.delays.push(ms);
    },
    holdNext() {
      let release!: () => void;
      scripted.holds.push(new Promise<void>((resolve) => (release = resolve)));
      return { release };
    },
    waitFor: log.waitFor,
    close: server.close,
  };
}

class SlackFailure extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (raw.length === 0) return {};
  if (contentType.includes('application/json')) return parseJsonObject(raw);
  const body: Record<string, unknown> = Object.fromEntries(new URLSearchParams(raw));
  for (const field of jsonFields) {
    if (typeof body[field] !== 'string') continue;
    try {
      body[field] = JSON.parse(body[field]) as unknown;
    } catch {
      // Left as the raw string: the handler answers invalid_blocks / invalid_arguments like Slack.
    }
  }
  return body;
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  return match?.[1];
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
