import type { RedisClient } from '../redis/redis-client.js';
import type { ChatAdapter, HealthCheck } from '../ports/chat-adapter.js';

/** The body of `GET /healthz`. */
export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: Record<string, HealthCheck>;
}

/** Options for {@link createHealthCheck}. */
export interface HealthCheckOptions {
  redis: RedisClient;
  /** Chat adapters by name (`slack`, `lark`); the console is always healthy and not listed. */
  adapters: Record<string, ChatAdapter>;
  /** Connections Warden holds open (the Lark long connection), checked without a call, every time. */
  connections?: Record<string, () => HealthCheck>;
  /** Chat API results are reused this long, so probes of /healthz don't spend the platforms' rate limits. */
  cacheMs?: number;
  timeoutMs?: number;
  now?: () => number;
}

function withTimeout(check: Promise<HealthCheck>, ms: number): Promise<HealthCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthCheck>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${ms} ms` }), ms);
  });
  return Promise.race([check.catch((error: unknown) => ({ ok: false, detail: (error as Error).message })), timeout]).finally(() =>
    clearTimeout(timer),
  );
}

/** Returns a function that checks Redis (every time) and the chat APIs (cached) for `GET /healthz`. */
export function createHealthCheck(options: HealthCheckOptions): () => Promise<HealthReport> {
  const cacheMs = options.cacheMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; result: HealthCheck }>();

  const checkAdapter = async (name: string, adapter: ChatAdapter): Promise<HealthCheck> => {
    const cached = cache.get(name);
    if (cached && now() - cached.at < cacheMs) return cached.result;
    const result = await withTimeout(adapter.checkHealth(), timeoutMs);
    cache.set(name, { at: now(), result });
    return result;
  };

  return async () => {
    const checks: Record<string, HealthCheck> = {};
    const redisCheck = withTimeout(
      options.redis.ping().then(() => ({ ok: true, detail: 'PONG' })),
      timeoutMs,
    );
    const entries = await Promise.all([
      redisCheck.then((result) => ['redis', result] as const),
      ...Object.entries(options.adapters).map(async ([name, adapter]) => [name, await checkAdapter(name, adapter)] as const),
    ]);
    for (const [name, result] of entries) checks[name] = result;
    for (const [name, check] of Object.entries(options.connections ?? {})) checks[name] = check();
    return { status: Object.values(checks).every((c) => c.ok) ? 'ok' : 'degraded', checks };
  };
}
