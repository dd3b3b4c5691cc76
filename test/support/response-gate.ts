import { readBody, startFakeHttpServer } from './fake-http-server.js';

/**
 * A loopback proxy in front of a remediation target that can hold the target's answers: a request
 * is passed on at once (the target applies its effect), but while the gate is held its answer
 * waits — the window in which a test kills the worker or restarts Redis. An answer whose caller
 * went away meanwhile is dropped.
 */
export interface ResponseGate {
  /** `http://127.0.0.1:<port>`: use it as the action's base URL. */
  url: string;
  /** Requests passed on to the target so far. */
  readonly forwarded: number;
  /** Answers that reached their caller. */
  readonly delivered: number;
  /** From now on, answers wait until `release`. */
  hold(): void;
  /** Lets every waiting (and later) answer through. */
  release(): void;
  close(): Promise<void>;
}

const PASSED_HEADERS = ['content-type', 'accept', 'user-agent', 'idempotency-key', 'authorization'];

export async function startResponseGate(targetUrl: string): Promise<ResponseGate> {
  let forwarded = 0;
  let delivered = 0;
  let gate: Promise<void> = Promise.resolve();
  let open: () => void = () => {};

  const server = await startFakeHttpServer(async (request, response) => {
    const body = await readBody(request);
    const headers: Record<string, string> = {};
    for (const name of PASSED_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const method = request.method ?? 'GET';
    const answer = await fetch(`${targetUrl}${request.url ?? '/'}`, { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body }), redirect: 'manual' });
    const text = await answer.text();
    forwarded += 1;
    await gate;
    if (response.destroyed || request.socket.destroyed) return;
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' }).end(text);
    delivered += 1;
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    get forwarded() {
      return forwarded;
    },
    get delivered() {
      return delivered;
    },
    hold() {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    release() {
      open();
      gate = Promise.resolve();
    },
    async close() {
      open();
      await server.close();
    },
  };
}
