import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createWarden, type CreateWardenOptions, type Role, type Warden } from '../../src/app/create-warden.js';
import { configSchema, type Config } from '../../src/config/config-schema.js';
import { deepFreeze } from '../../src/config/deep-freeze.js';
import { readRedisTarget } from '../../src/redis/read-redis-target.js';
import { loadConfig } from '../../src/config/load-config.js';
import { connectTestRedis, deleteKeys, randomSecret, TEST_REDIS_URL, uniquePrefix } from './test-redis.js';

/** A config tree as in the YAML file; defaults are filled in by the real schema. */
export type ConfigTree = Record<string, unknown>;

/** Validates a config tree with Warden's own schema, as `loadConfig` would. */
export function buildTestConfig(tree: ConfigTree): Config {
  return deepFreeze(configSchema.parse(tree));
}

/** A running Warden for a test, listening on an ephemeral loopback port. */
export interface TestWarden {
  warden: Warden;
  url: string;
  token: string;
  prefix: string;
  config: Config;
  /** Every log line written, parsed, to assert on (and to check that no secret leaks). */
  logs: Record<string, unknown>[];
  rawLogs: () => string;
  stop(): Promise<void>;
  /** Stops it and deletes every key under its prefix. */
  dispose(): Promise<void>;
}

/**
 * Starts Warden in-process with a unique Redis prefix and a token, plus whatever `tree` adds. Redis
 * is `redisUrl` (default: the tests' Redis), or the Sentinels or cluster `tree.redis` names; a
 * `tree.redis.prefix` replaces the unique prefix (a cluster needs a hash-tagged one). With `env`,
 * the tree goes through the real loader (`loadConfig`, as a file) with that environment, so its
 * `${NAME}` references are substituted and known as secrets; the webhook token then comes from
 * `WARDEN_WEBHOOK_TOKEN` too.
 */
export async function startTestWarden(
  options: { tree?: ConfigTree; role?: Role; redisUrl?: string; name?: string; env?: Record<string, string> } & Pick<CreateWardenOptions, 'adapters' | 'now' | 'concurrency' | 'shutdownGraceMs' | 'audit' | 'checklistSweepEveryMs' | 'missedSlotAfterMs' | 'checklistsDir' | 'rejectionWindowMs' | 'workerLockMs' | 'escalationMinuteMs'> = {},
): Promise<TestWarden> {
  const token = randomSecret(40);
  const tree = options.tree ?? {};
  const prefix = (tree.redis as { prefix?: string } | undefined)?.prefix ?? uniquePrefix(options.name ?? 'warden');
  const merged = {
    ...tree,
    server: { port: 0, ...(tree.server as object | undefined) },
    redis: { prefix, ...(tree.redis as object | undefined) },
    alertmanager: { token: options.env ? '${WARDEN_WEBHOOK_TOKEN}' : token, ...(tree.alertmanager as object | undefined) },
    // The audit log's JSONL copy goes to a temporary file, never into the checkout.
    audit: { file: join(tmpdir(), 'warden-tests', `${prefix}.audit.jsonl`), ...(tree.audit as object | undefined) },
  };
  let config: Config;
  if (options.env) {
    // JSON is YAML: the loader reads the tree as it would read a config file.
    const file = join(tmpdir(), 'warden-tests', `${prefix}.config.yaml`);
    mkdirSync(join(tmpdir(), 'warden-tests'), { recursive: true });
    writeFileSync(file, JSON.stringify(merged, null, 2), { mode: 0o600 });
    config = loadConfig({ file, env: { ...options.env, WARDEN_WEBHOOK_TOKEN: token } });
  } else {
    config = buildTestConfig(merged);
  }
  let raw = '';
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = chunk.toString();
      raw += text;
      for (const line of text.split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const { createLogger } = await import('../../src/observability/create-logger.js');
  const { listSecrets } = await import('../../src/config/list-secrets.js');
  const logger = createLogger({ level: 'debug', secrets: listSecrets(config), destination: destination as unknown as pino.DestinationStream });
  const target = readRedisTarget(config.redis, options.redisUrl ?? TEST_REDIS_URL);
  const warden = await createWarden({
    config,
    role: options.role ?? 'all',
    redis: target,
    logger,
    adapters: options.adapters,
    now: options.now,
    audit: options.audit,
    concurrency: options.concurrency,
    shutdownGraceMs: options.shutdownGraceMs ?? 5_000,
    checklistSweepEveryMs: options.checklistSweepEveryMs,
    missedSlotAfterMs: options.missedSlotAfterMs,
    checklistsDir: options.checklistsDir,
    rejectionWindowMs: options.rejectionWindowMs,
    workerLockMs: options.workerLockMs,
    escalationMinuteMs: options.escalationMinuteMs,
  });
  const { url } = await warden.start();
  return {
    warden,
    url: url ?? '',
    token,
    prefix,
    config,
    logs,
    rawLogs: () => raw,
    stop: () => warden.stop(),
    async dispose() {
      await warden.stop();
      // Private servers (Sentinels, clusters) go away with their test; the shared one is cleaned up.
      if (target.kind !== 'url' || target.url !== TEST_REDIS_URL) return;
      const redis = connectTestRedis();
      await deleteKeys(redis, prefix);
      redis.disconnect();
    },
  };
}
