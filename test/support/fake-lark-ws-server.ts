import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { decodeLarkFrame, encodeLarkFrame, type LarkFrame } from './lark-frame-codec.js';

// `ws` ships without types and is not a direct dependency (it comes with the Lark SDK): only the
// few members the fake uses are declared.
interface FakeSocket {
  readyState: number;
  send(data: Uint8Array): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close', listener: () => void): void;
  close(): void;
  terminate(): void;
}
interface FakeSocketServer {
  on(event: 'listening', listener: () => void): void;
  on(event: 'connection', listener: (socket: FakeSocket, request: IncomingMessage) => void): void;
  address(): AddressInfo;
  close(callback: () => void): void;
}
type VerifyClient = (info: { req: IncomingMessage }, done: (ok: boolean, status?: number) => void) => void;
const { WebSocketServer } = createRequire(import.meta.url)('ws') as {
  WebSocketServer: new (options: { host: string; port: number; verifyClient: VerifyClient }) => FakeSocketServer;
};
const OPEN = 1;

/** What the SDK answered a delivery with: its `code` and, decoded, the handler's answer. */
export interface LarkDeliveryAck {
  code: number;
  answer: Record<string, unknown> | undefined;
}

/** A Lark long-connection server on loopback, speaking the SDK's pbbp2 frames. */
export interface FakeLarkWsServer {
  /** What `/callback/ws/endpoint` hands out: the socket URL (with its ticket) and the client config. */
  endpoint: { url: string; clientConfig: Record<string, number> };
  /** The ticket in the socket URL, a secret that must not reach a log. */
  ticket: string;
  /** Connections opened so far. */
  connections(): number;
  /** Connections open now. */
  openConnections(): number;
  /** Handshakes refused so far (see `refuseConnections`). */
  refusals(): number;
  /** Pings received (control frames). */
  pings(): number;
  /** Sends one event (schema 2.0 body) as a data frame of type `event` and resolves with its acknowledgement. */
  deliver(event: Record<string, unknown>, timeoutMs?: number): Promise<LarkDeliveryAck>;
  /** Closes every open connection from the server's side, as Lark does when it moves a client. */
  dropConnections(): void;
  /** While refusing, new WebSocket handshakes are refused with 503. */
  refuseConnections(refuse: boolean): void;
  close(): Promise<void>;
}

/**
 * Starts the socket side of a Lark long connection: a client must come with the ticket the
 * endpoint handed out, gets a pong (carrying the client config) for every ping, and acknowledges
 * each data frame with a frame that repeats its headers and carries `{ code, data }`, `data` being
 * the base64 JSON of the handler's answer.
 */
export async function startFakeLarkWsServer(options: { serviceId?: number; reconnectIntervalSeconds?: number } = {}): Promise<FakeLarkWsServer> {
  const serviceId = options.serviceId ?? 7;
  const ticket = `ticket-${randomBytes(12).toString('hex')}`;
  const clientConfig = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: options.reconnectIntervalSeconds ?? 0.1, ReconnectNonce: 0 };
  const sockets: FakeSocket[] = [];
  const waiting = new Map<string, (ack: LarkDeliveryAck) => void>();
  let refusing = false;
  let pings = 0;
  let refusals = 0;
  let sequence = 0;

  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: ({ req }, done) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (refusing) refusals += 1;
      done(!refusing && url.searchParams.get('ticket') === ticket, refusing ? 503 : 403);
    },
  });
  await new Promise<void>((resolve) => wss.on('listening', resolve));
  wss.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', (data) => {
      const frame = decodeLarkFrame(data);
      const header = (key: string) => frame.headers.find((h) => h.key === key)?.value;
      if (frame.method === 0 && header('type') === 'ping') {
        pings += 1;
        socket.send(encodeLarkFrame({ ...frame, headers: [{ key: 'type', value: 'pong' }], payload: Buffer.from(JSON.stringify(clientConfig)) }));
        return;
      }
      if (frame.method !== 1) return;
      const messageId = header('message_id');
      const body = JSON.parse(Buffer.from(frame.payload ?? new Uint8Array()).toString('utf8')) as { code: number; data?: string };
      const answer = body.data === undefined ? undefined : (JSON.parse(Buffer.from(body.data, 'base64').toString('utf8')) as Record<string, unknown>);
      if (messageId !== undefined) waiting.get(messageId)?.({ code: body.code, answer });
    });
  });

  const port = wss.address().port;
  const open = () => sockets.filter((socket) => socket.readyState === OPEN);
  return {
    endpoint: { url: `ws://127.0.0.1:${port}/ws?device_id=fake-device&service_id=${serviceId}&ticket=${ticket}`, clientConfig },
    ticket,
    connections: () => sockets.length,
    openConnections: () => open().length,
    refusals: () => refusals,
    pings: () => pings,
    deliver(event, timeoutMs = 5_000) {
      const socket = open().at(-1);
      if (socket === undefined) return Promise.reject(new Error('no open long connection to deliver to'));
      sequence += 1;
      const messageId = `fake-message-${sequence}`;
      const frame: LarkFrame = {
        SeqID: sequence,
        LogID: sequence,
        service: serviceId,
        method: 1,
        headers: [
          { key: 'type', value: 'event' },
          { key: 'message_id', value: messageId },
          { key: 'sum', value: '1' },
          { key: 'seq', value: '0' },
          { key: 'trace_id', value: `trace-${sequence}` },
        ],
        payload: Buffer.from(JSON.stringify(event), 'utf8'),
      };
      return new Promise<LarkDeliveryAck>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(messageId);
          reject(new Error(`no acknowledgement of ${messageId} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(messageId, (ack) => {
          clearTimeout(timer);
          waiting.delete(messageId);
          resolve(ack);
        });
        socket.send(encodeLarkFrame(frame));
      });
    },
    dropConnections() {
      for (const socket of open()) socket.close();
    },
    refuseConnections(refuse) {
      refusing = refuse;
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(resolve));
    },
  };
}
