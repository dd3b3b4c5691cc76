import { Cluster, type Redis } from 'ioredis';
import { WardenError } from '../errors/warden-error.js';
import { findSlotOwner } from './find-slot-owner.js';
import type { RedisClient } from './redis-client.js';

/** `redis.waitForReplicas`. */
export interface ReplicaWaitOptions {
  replicas: number;
  timeoutMs: number;
}

/** Which server connection each client writes Warden's keys on, and how often its connections were lost so far. */
export interface ReplicaTicket {
  readonly nodes: readonly (Redis | undefined)[];
  readonly epochs: readonly number[];
}

/** See {@link createReplicaWait}. */
export interface ReplicaWait {
  /** Taken before the writes are sent. */
  begin(): ReplicaTicket;
  /** Resolves once the writes sent since `begin` reached the replicas; rejects with `replica_unconfirmed` otherwise. */
  confirm(ticket: ReplicaTicket): Promise<void>;
  /**
   * Resolves once the replicas hold everything the server has applied so far (a write of its own,
   * then WAIT: replication is one ordered stream); rejects with `replica_unconfirmed` otherwise, or
   * when the connection changed since `since` (taken before the reads it vouches for).
   */
  barrier(since?: ReplicaTicket): Promise<void>;
}

function notDurable(detail: string, cause?: unknown): WardenError {
  return new WardenError('replica_unconfirmed', `Redis did not confirm the write on its replicas: ${detail}`, { cause });
}

/** Counts the connections `client` lost (on a cluster, those of any node): a lost connection may have lost its writes. */
function countLostConnections(client: RedisClient): () => number {
  let lost = 0;
  const bump = () => void lost++;
  if (client instanceof Cluster) {
    client.on('+node', (node: Redis) => node.on('close', bump));
    for (const node of client.nodes()) node.on('close', bump);
    client.on('-node', bump);
  } else {
    client.on('close', bump);
  }
  return () => lost;
}

/**
 * `WAIT numreplicas timeout` for the writes of `clients` (whose keys share the slot of `markerKey`,
 * the key `barrier` writes). WAIT covers what its own connection wrote before it, so it is sent on
 * the connection the writes went through (on a cluster, the node serving that slot). Callers
 * arriving while a WAIT is under way share the next one: one WAIT per connection serves every write
 * sent before it. Fewer replicas than asked within the timeout is a failure, and so is a connection
 * that was lost or a slot that moved between the writes and the WAIT: a WAIT on the new connection
 * would not cover the old connection's writes.
 */
export function createReplicaWait(clients: readonly RedisClient[], markerKey: string, options: ReplicaWaitOptions): ReplicaWait {
  const lostCounters = clients.map(countLostConnections);
  const current = (): ReplicaTicket => ({ nodes: clients.map((client) => findSlotOwner(client, markerKey)), epochs: lostCounters.map((count) => count()) });
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;

  const waitAll = async (nodes: readonly (Redis | undefined)[]): Promise<void> => {
    const counts = await Promise.all(
      nodes.map(async (node) => {
        if (node === undefined) throw notDurable('no connection to the primary');
        try {
          return Number(await node.call('WAIT', options.replicas, options.timeoutMs));
        } catch (error) {
          throw notDurable(`WAIT failed: ${(error as Error).message}`, error);
        }
      }),
    );
    const fewest = Math.min(...counts);
    if (fewest < options.replicas) throw notDurable(`${fewest} of ${options.replicas} replicas within ${options.timeoutMs} ms`);
  };

  const shared = (nodes: readonly (Redis | undefined)[]): Promise<void> => {
    if (!running) {
      running = waitAll(nodes).finally(() => (running = undefined));
      return running;
    }
    // The WAIT under way may have been sent before this caller's writes: join the one after it.
    next ??= running
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return shared(current().nodes);
      });
    return next;
  };

  const confirm = async (ticket: ReplicaTicket) => {
    await shared(ticket.nodes);
    const now = current();
    const moved = now.nodes.some((node, i) => node !== ticket.nodes[i]) || now.epochs.some((epoch, i) => epoch !== ticket.epochs[i]);
    if (moved) throw notDurable('the connection to the primary changed during the write');
  };

  return {
    begin: current,
    confirm,
    async barrier(since) {
      const ticket = since ?? current();
      try {
        await Promise.all(ticket.nodes.map((node) => node?.set(markerKey, String(Date.now()), 'PX', 60_000)));
      } catch (error) {
        throw notDurable(`cannot write: ${(error as Error).message}`, error);
      }
      await confirm(ticket);
    },
  };
}
