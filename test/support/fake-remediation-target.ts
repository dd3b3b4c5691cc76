import type { IncomingHttpHeaders } from 'node:http';
import { readBody, startFakeHttpServer } from './fake-http-server.js';

/** One request as the fake target received it. */
export interface TargetRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  idempotencyKey: string | undefined;
  /** What it answered. */
  status: number;
}

interface StoredAnswer {
  status: number;
  body: string;
}

/**
 * A remediation endpoint on 127.0.0.1 (ephemeral port) that honours `Idempotency-Key`: the first
 * request with a key applies one EFFECT and its answer is stored; a repeat gets the stored answer
 * and applies nothing. Requests without a key each apply an effect. Knobs make the next requests
 * fail (503), wait, answer a given status, or redirect; none of those applies an effect.
 */
export interface FakeRemediationTarget {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: TargetRequest[];
  /** Effects applied per Idempotency-Key (`''` for requests without one). */
  effects: Map<string, number>;
  /** Total effects applied. */
  effectCount(): number;
  /** The next `count` requests answer `status` (default 503) with a short text body. */
  failNext(count: number, status?: number, body?: string): void;
  /** Every request waits `ms` before being answered. */
  setDelay(ms: number): void;
  /** The next request answers 302 to `location`. */
  redirectNext(location: string): void;
  /** Successful answers include the request's headers (to prove secrets echoed back are scrubbed). */
  echoHeaders(on: boolean): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeRemediationTarget(): Promise<FakeRemediationTarget> {
  const requests: TargetRequest[] = [];
  const effects = new Map<string, number>();
  const answers = new Map<string, StoredAnswer>();
  let failures: { count: number; status: number; body: string } = { count: 0, status: 503, body: '' };
  let delayMs = 0;
  let redirect: string | undefined;
  let echo = false;

  const server = await startFakeHttpServer(async (request, response) => {
    const body = await readBody(request);
    const header = request.headers['idempotency-key'];
    const key = Array.isArray(header) ? header[0] : header;
    const record: TargetRequest = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body, idempotencyKey: key, status: 0 };
    requests.push(record);
    const answer = (status: number, text: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => {
      record.status = status;
      if (!response.destroyed) response.writeHead(status, headers).end(text);
    };

    if (delayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (response.destroyed) return;
    }
    if (redirect !== undefined) {
      const location = redirect;
      redirect = undefined;
      return answer(302, '', { location });
    }
    if (failures.count > 0) {
      failures.count--;
      return answer(failures.status, failures.body || `fake failure ${failures.status}`, { 'content-type': 'text/plain' });
    }
    const stored = key === undefined ? undefined : answers.get(key);
    if (stored !== undefined) return answer(stored.status, stored.body);

    const slot = key ?? '';
    effects.set(slot, (effects.get(slot) ?? 0) + 1);
    let received: unknown = body;
    try {
      received = body === '' ? null : JSON.parse(body);
    } catch {
      // Not JSON: echoed as text.
    }
    const text = JSON.stringify({ applied: true, effect: [...effects.values()].reduce((a, b) => a + b, 0), received, ...(echo ? { headers: request.headers } : {}) });
    if (key !== undefined) answers.set(key, { status: 201, body: text });
    return answer(201, text);
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    effects,
    effectCount: () => [...effects.values()].reduce((a, b) => a + b, 0),
    failNext(count, status = 503, body = '') {
      failures = { count, status, body };
    },
    setDelay(ms) {
      delayMs = ms;
    },
    redirectNext(location) {
      redirect = location;
    },
    echoHeaders(on) {
      echo = on;
    },
    reset() {
      requests.length = 0;
      effects.clear();
      answers.clear();
      failures = { count: 0, status: 503, body: '' };
      delayMs = 0;
      redirect = undefined;
      echo = false;
    },
    close: () => server.close(),
  };
}
