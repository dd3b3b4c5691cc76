import { fileURLToPath } from 'node:url';
import { readBody, startFakeHttpServer } from './fake-http-server.js';

/** The program that echoes its arguments (see its header). */
export const ECHO_PROGRAM = fileURLToPath(new URL('../fixtures/remediation/echo-program.mjs', import.meta.url));

/** One request as the echo target received it. */
export interface EchoedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  status: number;
}

/** A target on loopback that answers every request with the whole request: method, URL, headers and body. */
export interface FakeEchoTarget {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: EchoedRequest[];
  close(): Promise<void>;
}

/**
 * Starts the echo target on 127.0.0.1 (ephemeral port). It answers JSON
 * `{ method, url, headers, body }` — the body as the string it received — with status 400 for
 * paths under `/reject` and 200 otherwise, and also sends the request's headers back as
 * `x-echo-<name>` response headers.
 */
export async function startFakeEchoTarget(): Promise<FakeEchoTarget> {
  const requests: EchoedRequest[] = [];
  const server = await startFakeHttpServer(async (request, response) => {
    const body = await readBody(request);
    const url = request.url ?? '';
    const status = url.startsWith('/reject') ? 400 : 200;
    requests.push({ method: request.method ?? '', url, headers: request.headers, body, status });
    const echoed: Record<string, string> = { 'content-type': 'application/json' };
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') echoed[`x-echo-${name}`] = value;
    response.writeHead(status, echoed).end(JSON.stringify({ method: request.method, url, headers: request.headers, body }));
  });
  return { url: `http://127.0.0.1:${server.port}`, requests, close: () => server.close() };
}
