import { Redis } from 'ioredis';
import { startRedisServer, type TestRedisServer } from './start-redis-server.js';

/** A primary, its replica and three Sentinels watching them, all on loopback. */
export interface TestRedisSentinels {
  /** The master group name the Sentinels monitor. */
  name: string;
  primary: TestRedisServer;
  replica: TestRedisServer;
  sentinels: TestRedisServer[];
  /** `host:port` of every Sentinel, as `redis.sentinels` takes them. */
  sentinelAddresses: string[];
  /** The port of the server the Sentinels name as primary right now (asked of the first one that answers). */
  primaryPort(): Promise<number>;
  /**
   * `SENTINEL FAILOVER`: promotes the replica. Resolves once every Sentinel names the new primary
   * (the old one keeps running and is turned into a replica some seconds later).
   */
  failover(timeoutMs?: number): Promise<{ from: number; to: number }>;
  /** Resolves once the server on `port` is a replica of the server on `primaryPort`, in sync with it. */
  waitUntilReplicating(port: number, primaryPort: number, timeoutMs?: number): Promise<void>;
  /** A client on the server listening on `port` (the password given), for a test to inspect. */
  connect(port: number): Redis;
  dispose(): Promise<void>;
}

async function poll(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function field(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

/**
 * Starts a primary and a replica (AOF, `appendfsync always`) and three Sentinels with quorum 2,
 * and waits until the replica is in sync and every Sentinel knows the replica and the two other
 * Sentinels: from then on a failover can be asked for and will be agreed on. With `password`, the
 * data servers require it (`requirepass`, `masterauth`); with `sentinelPassword`, so do the Sentinels.
 */
export async function startRedisSentinels(options: { name?: string; password?: string; sentinelPassword?: string; timeoutMs?: number } = {}): Promise<TestRedisSentinels> {
  const name = options.name ?? 'warden-primary';
  const timeoutMs = options.timeoutMs ?? 20_000;
  const started: TestRedisServer[] = [];
  const clients: Redis[] = [];
  const connect = (port: number, password = options.password) => {
    const client = new Redis({ host: '127.0.0.1', port, password, protocol: 2, maxRetriesPerRequest: 1, lazyConnect: false, retryStrategy: () => 200 });
    client.on('error', () => {});
    clients.push(client);
    return client;
  };
  try {
    const primary = await startRedisServer({ fsyncAlways: true, password: options.password });
    started.push(primary);
    const replica = await startRedisServer({ fsyncAlways: true, password: options.password, args: ['--replicaof', '127.0.0.1', String(primary.port)] });
    started.push(replica);
    const sentinelConfig = [
      `sentinel monitor ${name} 127.0.0.1 ${primary.port} 2`,
      `sentinel down-after-milliseconds ${name} 1000`,
      `sentinel failover-timeout ${name} 10000`,
      `sentinel parallel-syncs ${name} 1`,
      ...(options.password === undefined ? [] : [`sentinel auth-pass ${name} ${options.password}`]),
    ].join('\n');
    const sentinels: TestRedisServer[] = [];
    for (let i = 0; i < 3; i++) {
      const sentinel = await startRedisServer({ sentinelConfig, password: options.sentinelPassword });
      started.push(sentinel);
      sentinels.push(sentinel);
    }
    const sentinelClients = sentinels.map((sentinel) => connect(sentinel.port, options.sentinelPassword));
    const replicaClient = connect(replica.port);

    await poll('the replica syncs with the primary', timeoutMs, async () => field(await replicaClient.info('replication'), 'master_link_status') === 'up');
    await poll('every Sentinel knows the replica and the other Sentinels', timeoutMs, async () => {
      for (const sentinel of sentinelClients) {
        const replicas = (await sentinel.call('SENTINEL', 'REPLICAS', name)) as string[][];
        const others = (await sentinel.call('SENTINEL', 'SENTINELS', name)) as unknown[];
        const known = replicas.some((fields) => fields[fields.indexOf('port') + 1] === String(replica.port) && !fields[fields.indexOf('flags') + 1]!.includes('down'));
        if (!known || others.length !== 2) return false;
      }
      return true;
    });

    const primaryPort = async () => {
      for (const sentinel of sentinelClients) {
        const address = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name).catch(() => null)) as [string, string] | null;
        if (address) return Number(address[1]);
      }
      throw new Error('no Sentinel answered');
    };

    return {
      name,
      primary,
      replica,
      sentinels,
      sentinelAddresses: sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`),
      primaryPort,
      async failover(failoverTimeoutMs = timeoutMs) {
        const from = await primaryPort();
        const to = from === primary.port ? replica.port : primary.port;
        await sentinelClients[0]!.call('SENTINEL', 'FAILOVER', name);
        await poll('every Sentinel names the new primary', failoverTimeoutMs, async () => {
          const named = await Promise.all(sentinelClients.map((sentinel) => sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name) as Promise<[string, string]>));
          return named.every((address) => Number(address[1]) === to);
        });
        return { from, to };
      },
      async waitUntilReplicating(port, primaryPort, replicatingTimeoutMs = timeoutMs) {
        const server = connect(port);
        await poll(`the server on port ${port} replicates from port ${primaryPort}`, replicatingTimeoutMs, async () => {
          const info = await server.info('replication');
          return field(info, 'role') === 'slave' && field(info, 'master_port') === String(primaryPort) && field(info, 'master_link_status') === 'up';
        });
      },
      connect: (port: number) => connect(port),
      async dispose() {
        for (const client of clients) client.disconnect();
        for (const server of started.reverse()) await server.dispose();
      },
    };
  } catch (error) {
    for (const client of clients) client.disconnect();
    for (const server of started.reverse()) await server.dispose();
    throw error;
  }
}
