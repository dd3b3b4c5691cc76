import { z } from 'zod';
import { hasHashTag } from './has-hash-tag.js';

/** `host:port` of a Sentinel or a cluster node; IPv6 in brackets (`[::1]:26379`). */
const address = z.string().regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]{1,253}):\d{1,5}$/, {
  message: 'must be "host:port", e.g. "10.0.0.5:26379" (IPv6 in brackets: "[fd00::5]:26379")',
});

const credential = (key: string) => z.string().min(1, { message: `${key} is empty; set the environment variable it references` });

/**
 * `redis`: where Warden keeps everything. One server (`url`), a primary found through Redis Sentinel
 * (`sentinels` + `name`), or a Redis Cluster (`cluster.nodes`) — one of the three, or none for the
 * default (`redis://127.0.0.1:6379`, or a private server `warden serve` starts).
 */
export const redisSchema = z
  .strictObject({
    url: z.string().regex(/^(redis|rediss|unix):\/\//, { message: 'must start with redis://, rediss:// or unix://' }).optional(),
    /** Sentinels to ask where the primary named `name` is (at least one; list them all). */
    sentinels: z.array(address).min(1, { message: 'needs at least one Sentinel, e.g. ["10.0.0.5:26379"]' }).optional(),
    /** The master group name the Sentinels monitor (`sentinel monitor <name> …`). */
    name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, { message: 'must be the master group name of `sentinel monitor`: letters, digits, ".", "_" and "-"' }).optional(),
    /** Redis Cluster: some of its nodes; the others are discovered. */
    cluster: z.strictObject({ nodes: z.array(address).min(1, { message: 'needs at least one node, e.g. ["10.0.0.5:6379"]' }) }).optional(),
    /** ACL user and password of the data nodes (Sentinel's primary and replicas, or the cluster's nodes). */
    username: credential('redis.username').optional(),
    password: credential('redis.password').optional(),
    /** ACL user and password of the Sentinels themselves, when they require one. */
    sentinelUsername: credential('redis.sentinelUsername').optional(),
    sentinelPassword: credential('redis.sentinelPassword').optional(),
    prefix: z.string().regex(/^[A-Za-z0-9_{}:-]{1,64}$/).default('warden'),
    /**
     * Alertmanager's 202 waits until the notification reached this many replicas (`WAIT`), so an
     * accepted alert survives a failover; fewer within `timeoutMs` answers 503 and Alertmanager retries.
     */
    waitForReplicas: z
      .strictObject({
        replicas: z.number().int().min(1).max(16),
        timeoutMs: z.number().int().min(10).max(10_000).default(500),
      })
      .optional(),
  })
  .superRefine((redis, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (redis.url !== undefined && redis.sentinels !== undefined) issue('url', 'cannot be combined with redis.sentinels: use one server (url) or Sentinel, not both; remove one (REDIS_URL also sets redis.url)');
    if (redis.url !== undefined && redis.cluster !== undefined) issue('url', 'cannot be combined with redis.cluster: use one server (url) or a cluster, not both; remove one (REDIS_URL also sets redis.url)');
    if (redis.sentinels !== undefined && redis.cluster !== undefined) issue('cluster', 'cannot be combined with redis.sentinels: Warden uses either Sentinel or a cluster; remove one');
    if (redis.sentinels !== undefined && redis.name === undefined) issue('name', 'required with redis.sentinels: the master group name the Sentinels monitor (`sentinel monitor <name> …`)');
    if (redis.sentinels === undefined && redis.name !== undefined) issue('name', 'is only used with redis.sentinels; add them or remove redis.name');
    for (const key of ['sentinelUsername', 'sentinelPassword'] as const) {
      if (redis.sentinels === undefined && redis[key] !== undefined) issue(key, `is only used with redis.sentinels; add them or remove redis.${key}`);
    }
    for (const key of ['username', 'password'] as const) {
      if (redis.url !== undefined && redis[key] !== undefined) issue(key, `is only used with redis.sentinels or redis.cluster; with redis.url put the credentials into the URL: redis://warden:\${REDIS_PASSWORD}@host:6379`);
    }
    if (redis.cluster !== undefined && !hasHashTag(redis.prefix)) {
      issue('prefix', `must contain a hash tag with redis.cluster, so that all of Warden's keys share one slot (its scripts and BullMQ's touch many keys at once): write "{${redis.prefix.replace(/[{}]/g, '')}}"`);
    }
  });

/** The validated `redis` section. */
export type RedisConfig = z.output<typeof redisSchema>;
