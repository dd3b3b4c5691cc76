import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { createFakeCallLog, type FakeCallLog } from './fake-call-log.js';

// `ws` ships without types and is not a direct dependency (it comes with the Lark SDK): only the
// few members the fake uses are declared.
interface FakeSocket {
  send(data: string): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close', listener: () => void): void;
  terminate(): void;
}
interface FakeSocketServer {
  on(event: 'listening', listener: () => void): void;
  on(event: 'connection', listener: (socket: FakeSocket) => void): void;
  address(): AddressInfo;
  close(callback: () => void): void;
}
const { WebSocketServer } = createRequire(import.meta.url)('ws') as { WebSocketServer: new (options: { host: string; port: number }) => FakeSocketServer };

/** What the app sent back over the socket: acks carry the `envelope_id` and an optional `payload`. */
export interface FakeSocketMessage {
  envelope_id?: string;
  payload?: Record<string, unknown>;
}

/** A Slack Socket Mode WebSocket on loopback (what `apps.connections.open` points at). */
export interface FakeSlackSocketServer {
  /** `ws://127.0.0.1:<port>/`. */
  url: string;
  received: FakeCallLog<FakeSocketMessage>;
  /** Connections opened so far. */
  connections(): number;
  /** Connections closed so far. */
  closed(): number;
  /** Sends an envelope to every open connection. */
  deliver(envelope: Record<string, unknown>): void;
  close(): Promise<void>;
}

/** Starts the socket; every connection is greeted with `hello`, as Slack does. */
export async function startFakeSlackSocketServer(): Promise<FakeSlackSocketServer> {
  const received: FakeCallLog<FakeSocketMessage> = createFakeCallLog();
  const sockets: FakeSocket[] = [];
  let closed = 0;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.on('listening', resolve));
  wss.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', (data) => received.push(JSON.parse(data.toString('utf8')) as FakeSocketMessage));
    socket.on('close', () => (closed += 1));
    socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0WARDEN' }, debug_info: { host: 'fake' } }));
  });
  return {
    url: `ws://127.0.0.1:${wss.address().port}/`,
    received,
    connections: () => sockets.length,
    closed: () => closed,
    deliver(envelope) {
      for (const socket of sockets) socket.send(JSON.stringify(envelope));
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(resolve));
    },
  };
}
