import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ChatAdapter } from '../../chat/chat-adapter.js';
import type { Config } from '../../config/config-schema.js';
import type { IncidentStore } from '../../incidents/create-incident-store.js';
import type { WardenMetrics } from '../../observability/create-metrics.js';
import type { RedisKeys } from '../../redis/redis-keys.js';

/** What a notify job needs. */
export interface NotifyDeps {
  redis: Redis;
  keys: RedisKeys;
  store: IncidentStore;
  /** The adapter that serves a destination (`console` for platforms without credentials). */
  adapterFor: (destination: string) => ChatAdapter;
  limits: Config['limits'];
  metrics: WardenMetrics;
  logger: Logger;
  now: () => number;
}
