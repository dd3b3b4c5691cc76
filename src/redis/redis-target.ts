/** One Redis node: a Sentinel or a cluster node. */
export interface RedisAddress {
  host: string;
  port: number;
}

/**
 * Where Warden's Redis is and how to log in, as {@link connectRedis} takes it: one server by URL
 * (credentials in the URL), a primary found through Redis Sentinel, or a Redis Cluster.
 */
export type RedisTarget =
  | { readonly kind: 'url'; readonly url: string }
  | {
      readonly kind: 'sentinel';
      readonly sentinels: readonly RedisAddress[];
      /** The master group name the Sentinels monitor. */
      readonly name: string;
      readonly username?: string;
      readonly password?: string;
      readonly sentinelUsername?: string;
      readonly sentinelPassword?: string;
    }
  | { readonly kind: 'cluster'; readonly nodes: readonly RedisAddress[]; readonly username?: string; readonly password?: string };
