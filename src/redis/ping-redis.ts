import { Redis } from 'ioredis';

/** True when a Redis answers PING at `url` within a second; never throws, never retries. */
export async function pingRedis(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000, protocol: 2 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** Resolves once a Redis answers at `url`; rejects after `timeoutMs` or as soon as `stillStarting()` is false. */
export async function waitForRedis(url: string, timeoutMs: number, stillStarting: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await pingRedis(url)) return;
    if (!stillStarting()) throw new Error(`redis-server at ${url} exited before answering`);
    if (Date.now() > deadline) throw new Error(`redis-server at ${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
