import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { startRedisServer, type TestRedisServer } from './start-redis-server.js';

const run = promisify(execFile);

/** A Redis Cluster of masters without replicas, on loopback. */
export interface TestRedisCluster {
  nodes: TestRedisServer[];
  /** `host:port` of every node, as `redis.cluster.nodes` takes them. */
  addresses: string[];
  /** A plain client on the node that serves `key`'s slot (found with CLUSTER KEYSLOT and CLUSTER SLOTS). */
  connectToOwnerOf(key: string): Promise<Redis>;
  dispose(): Promise<void>;
}

/**
 * Starts `masters` redis-servers with `--cluster-enabled yes`, joins them with
 * `redis-cli --cluster create … --cluster-replicas 0 --cluster-yes`, and waits until every node
 * reports `cluster_state:ok` and knows all the others.
 */
export async function startRedisCluster(options: { masters?: number; timeoutMs?: number } = {}): Promise<TestRedisCluster> {
  const masters = options.masters ?? 3;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const nodes: TestRedisServer[] = [];
  const clients: Redis[] = [];
  const connect = (port: number) => {
    const client = new Redis({ host: '127.0.0.1', port, protocol: 2, maxRetriesPerRequest: 1 });
    client.on('error', () => {});
    clients.push(client);
    return client;
  };
  const dispose = async () => {
    for (const client of clients) client.disconnect();
    for (const node of nodes) await node.dispose();
  };
  try {
    for (let i = 0; i < masters; i++) {
      nodes.push(await startRedisServer({ args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000'] }));
    }
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], { timeout: timeoutMs });
    const probes = nodes.map((node) => connect(node.port));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const infos = await Promise.all(probes.map((probe) => probe.cluster('INFO').catch(() => '')));
      if (infos.every((info) => /cluster_state:ok/.test(info) && new RegExp(`cluster_known_nodes:${masters}\\b`).test(info))) break;
      if (Date.now() > deadline) throw new Error(`the cluster did not become ready within ${timeoutMs} ms:\n${infos.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return {
      nodes,
      addresses,
      async connectToOwnerOf(key) {
        const slot = await probes[0]!.cluster('KEYSLOT', key);
        const ranges = (await probes[0]!.cluster('SLOTS')) as unknown as [number, number, [string, number]][];
        const owner = ranges.find(([first, last]) => slot >= first && slot <= last);
        if (!owner) throw new Error(`no node serves slot ${slot}`);
        return connect(owner[2][1]);
      },
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
