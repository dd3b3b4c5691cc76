import { Cluster, type Redis } from 'ioredis';
import { keySlot } from './key-slot.js';
import type { RedisClient } from './redis-client.js';

/**
 * The server connection commands on `key` go through: `client` itself, or on a cluster its
 * connection to the master serving the key's slot (undefined while it has none).
 */
export function findSlotOwner(client: RedisClient, key: string): Redis | undefined {
  if (!(client instanceof Cluster)) return client;
  const owner = client.slots[keySlot(key)]?.[0];
  return client.nodes('master').find((node) => `${node.options.host}:${node.options.port}` === owner);
}
