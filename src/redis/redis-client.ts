import type { Cluster, Redis } from 'ioredis';

/** A connection Warden sends commands on: one Redis (standalone or through Sentinel) or a Redis Cluster. */
export type RedisClient = Redis | Cluster;
