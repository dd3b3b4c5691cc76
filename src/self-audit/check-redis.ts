import type { RedisClient } from '../redis/redis-client.js';
import { WardenError } from '../errors/warden-error.js';
import { acceptsAnonymousClients } from '../probes/accepts-anonymous-clients.js';
import type { SelfAuditContext } from './self-audit-context.js';
import type { SelfAuditCheck, SelfAuditFinding } from './self-audit-finding.js';
import { isLoopbackHost } from './is-loopback-host.js';
import { toFinding } from './to-finding.js';
import { readRedisTarget } from '../redis/read-redis-target.js';
import { findSlotOwner } from '../redis/find-slot-owner.js';
import type { RedisTarget } from '../redis/redis-target.js';

const TIMEOUT_MS = 2000;

const AUTH: SelfAuditCheck = {
  id: 'redis-auth',
  title: 'Redis requires a password or an ACL user',
  severity: 'critical',
  fix: 'set `requirepass` (or an ACL user: ACL SETUSER warden on >… ~* &* +@all) in redis.conf and put the credentials into REDIS_URL: redis://warden:${REDIS_PASSWORD}@host:6379',
};
const TLS: SelfAuditCheck = {
  id: 'redis-tls',
  title: 'Redis on another host is reached over TLS',
  severity: 'high',
  fix: 'enable TLS on Redis (tls-port, tls-cert-file, tls-key-file) and use a rediss:// REDIS_URL, or run Redis on the same host',
};
const PERSISTENCE: SelfAuditCheck = {
  id: 'redis-persistence',
  title: 'Redis persists its data (AOF)',
  severity: 'high',
  fix: 'redis-cli CONFIG SET appendonly yes && redis-cli CONFIG REWRITE (or `appendonly yes` in redis.conf): incidents and jobs live only in Redis',
};
const EVICTION: SelfAuditCheck = {
  id: 'redis-eviction-policy',
  title: 'Redis never evicts keys (maxmemory-policy noeviction)',
  severity: 'high',
  fix: 'redis-cli CONFIG SET maxmemory-policy noeviction && redis-cli CONFIG REWRITE (or `maxmemory-policy noeviction` in redis.conf): an evicted key is a lost incident or job',
};

/** The configured Redis, described without its credentials. */
interface TargetFacts {
  where: string;
  loopback: boolean;
  tls: boolean;
  socket: boolean;
  credentials: boolean;
  /** Where the credentials are configured. */
  credentialsKey: string;
}

function describeTarget(target: RedisTarget): TargetFacts {
  if (target.kind !== 'url') {
    const addresses = target.kind === 'sentinel' ? target.sentinels : target.nodes;
    const loopback = addresses.every(({ host }) => isLoopbackHost(host));
    const what = target.kind === 'sentinel' ? `the Sentinel primary "${target.name}"` : 'Redis Cluster';
    const where = `${what} via ${addresses.map(({ host, port }) => `${host}:${port}`).join(', ')} (${loopback ? 'loopback' : 'remote'})`;
    return { where, loopback, tls: false, socket: false, credentials: Boolean(target.password || target.username), credentialsKey: 'redis.password' };
  }
  const parsed = new URL(target.url);
  const credentials = Boolean(parsed.password || parsed.username);
  if (parsed.protocol === 'unix:') return { where: `unix:${parsed.pathname}`, loopback: true, tls: false, socket: true, credentials, credentialsKey: 'REDIS_URL' };
  const host = parsed.hostname || '127.0.0.1';
  const loopback = isLoopbackHost(host);
  return {
    where: `${host}:${parsed.port || 6379} (${loopback ? 'loopback' : 'remote'})`,
    loopback,
    tls: parsed.protocol === 'rediss:',
    socket: false,
    credentials,
    credentialsKey: 'REDIS_URL',
  };
}

async function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new WardenError('redis_timeout', `${what}: no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Whether this Redis serves a client that presents no credentials; undefined when that could not be found out. */
async function acceptsAnonymous(redis: RedisClient): Promise<boolean | undefined> {
  try {
    return await acceptsAnonymousClients(redis, TIMEOUT_MS);
  } catch {
    return undefined;
  }
}

async function checkAuth(target: TargetFacts, redis: RedisClient | undefined): Promise<SelfAuditFinding> {
  const severity = target.loopback ? 'medium' : 'critical';
  const anonymous = redis ? await acceptsAnonymous(redis) : undefined;
  if (anonymous === false) return toFinding(AUTH, 'pass', `Redis at ${target.where} refuses clients without credentials (NOAUTH)`, { severity });
  if (anonymous === true) {
    const why = target.credentials ? `${target.credentialsKey} has credentials, but Redis does not require them` : `${target.credentialsKey} has no password or ACL user`;
    return toFinding(AUTH, 'fail', `Redis at ${target.where} answers clients without credentials: ${why}`, { severity });
  }
  return target.credentials
    ? toFinding(AUTH, 'pass', `${target.credentialsKey} for ${target.where} has credentials (whether Redis requires them was not checked: no connection)`, { severity })
    : toFinding(AUTH, 'fail', `${target.credentialsKey} for ${target.where} has no password or ACL user`, { severity });
}

function checkTls(target: TargetFacts): SelfAuditFinding {
  if (target.socket) return toFinding(TLS, 'pass', `Redis is reached over the unix socket ${target.where}`);
  if (target.tls) return toFinding(TLS, 'pass', `Redis at ${target.where} is reached over TLS (rediss://)`);
  if (target.loopback) return toFinding(TLS, 'pass', `Redis at ${target.where}: the traffic stays on this machine`);
  if (target.credentialsKey !== 'REDIS_URL') {
    return toFinding(TLS, 'fail', `${target.where} is reached without TLS: the password, incidents and jobs cross the network in clear`, {
      fix: 'Warden reaches Sentinels and cluster nodes over plain TCP: run them on this host, or reach them through a TLS tunnel (e.g. stunnel on both ends) and list the local tunnel ends in redis.sentinels or redis.cluster.nodes',
    });
  }
  return toFinding(TLS, 'fail', `redis:// to ${target.where} without TLS: the password, incidents and jobs cross the network in clear`);
}

async function readSetting(redis: RedisClient, name: string): Promise<string> {
  const reply: unknown = await withTimeout(redis.config('GET', name), `CONFIG GET ${name}`);
  // RESP2 answers [name, value]; a client on RESP3 gets a map.
  const value = Array.isArray(reply) ? reply[1] : (reply as Record<string, unknown> | null)?.[name];
  if (typeof value !== 'string') throw new WardenError('redis_config_unreadable', `CONFIG GET ${name} returned no value`);
  return value;
}

async function checkSettings(redis: RedisClient, target: TargetFacts): Promise<SelfAuditFinding[]> {
  let settings: [string, string, string];
  try {
    settings = await Promise.all([readSetting(redis, 'appendonly'), readSetting(redis, 'save'), readSetting(redis, 'maxmemory-policy')]);
  } catch (error) {
    const reason = `CONFIG GET was refused by Redis at ${target.where}: ${(error as Error).message}`;
    return [toFinding(PERSISTENCE, 'skip', reason), toFinding(EVICTION, 'skip', reason)];
  }
  const [appendonly, save, policy] = settings;
  const seen = `appendonly ${appendonly}, save "${save}"`;
  const persistence =
    appendonly === 'yes'
      ? toFinding(PERSISTENCE, 'pass', seen)
      : save.trim() !== ''
        ? toFinding(PERSISTENCE, 'fail', `${seen}: RDB snapshots only, so writes since the last snapshot are lost in a crash`, { severity: 'medium' })
        : toFinding(PERSISTENCE, 'fail', `${seen}: no persistence at all, a restart loses every incident and queued job`);
  const eviction =
    policy === 'noeviction'
      ? toFinding(EVICTION, 'pass', `maxmemory-policy ${policy}`)
      : toFinding(EVICTION, 'fail', `maxmemory-policy ${policy}: under memory pressure Redis deletes incidents, jobs and dedupe keys`);
  return [persistence, eviction];
}

/** Redis checks: authentication and TLS (from the URL, and by asking), persistence and eviction (CONFIG GET). */
export async function checkRedis(context: SelfAuditContext): Promise<SelfAuditFinding[]> {
  const target = describeTarget(readRedisTarget(context.config.redis));
  const { redis } = context;
  // On a cluster, the settings that matter are those of the node holding Warden's keys.
  const node = redis && findSlotOwner(redis, context.config.redis.prefix);
  const settings = node
    ? await checkSettings(node, target)
    : [PERSISTENCE, EVICTION].map((check) =>
        toFinding(check, 'skip', context.redisError ? `no connection to Redis at ${target.where}: ${context.redisError}` : 'no Redis connection was given to the audit'),
      );
  return [await checkAuth(target, redis), checkTls(target), ...settings];
}
