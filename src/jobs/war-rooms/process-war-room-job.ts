import type { Job } from 'bullmq';
import type { RedisClient } from '../../redis/redis-client.js';
import type { RedisKeys } from '../../redis/redis-keys.js';
import { archiveWarRoom } from '../../war-rooms/archive-war-room.js';
import { openWarRoom } from '../../war-rooms/open-war-room.js';
import { pinWarRoomCard } from '../../war-rooms/pin-war-room-card.js';
import type { WarRoomDeps } from '../../war-rooms/war-room-deps.js';
import { acquireLock } from '../../redis/acquire-lock.js';
import { postponeJob } from '../postpone-job.js';
import { readCardRecord } from './read-card-record.js';
import type { WarRoomJobData } from './war-room-job-data.js';

/** What a `war-rooms` job needs: the war room deps, and where the cards' messages are recorded. */
export interface WarRoomJobDeps extends WarRoomDeps {
  redis: RedisClient;
  keys: RedisKeys;
}

/**
 * How often a `pin` or `archive` job looks for the room's card before it acts anyway (pin: gives
 * up): after 200 ms, then twice as long each time up to 5 s, about a minute and a half in all.
 * Counted, not timed: the card waits for its destination's budget like any other.
 */
export const MAX_CARD_LOOKS = 24;

/**
 * Runs one attempt of a `war-rooms` job. `pin` waits (without spending attempts) until the room's
 * card is posted; `archive` until the room's card shows the incident as it was when closed, so the
 * archived room keeps its final card. The last attempt records a failure instead of throwing it.
 */
export async function processWarRoomJob(job: Job<WarRoomJobData>, token: string, deps: WarRoomJobDeps): Promise<string> {
  const key = job.data.task === 'open' ? job.data.request.key : job.data.key;
  // One job of an incident at a time: a click racing the route's own request must not make two rooms.
  const lock = await acquireLock(deps.redis, `${deps.keys.incident(key)}:lock:war-room`, LOCK_MS);
  if (!lock) return postponeJob(job, token, 250);
  try {
    return await runWarRoomJob(job, token, deps);
  } finally {
    await lock.release().catch(() => undefined);
  }
}

/** Far above the few platform calls a job makes, each with its own timeout. */
const LOCK_MS = 120_000;

async function runWarRoomJob(job: Job<WarRoomJobData>, token: string, deps: WarRoomJobDeps): Promise<string> {
  const final = { final: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) };
  const data = job.data;
  if (data.task === 'open') return openWarRoom(deps, data.request, final);
  const looks = data.looks ?? 0;
  const wait = async () => {
    await job.updateData({ ...data, looks: looks + 1 });
    return postponeJob(job, token, Math.min(5_000, 200 * 2 ** looks));
  };
  if (data.task === 'pin') {
    const card = await readCardRecord(deps.redis, deps.keys, data.key, data.destination);
    if (card?.id === undefined) return looks + 1 >= MAX_CARD_LOOKS ? 'the card was never posted in the room' : wait();
    return pinWarRoomCard(deps, data.key, data.destination, card.id, final);
  }
  const incident = await deps.store.get(data.key);
  const room = incident?.warRoom;
  if (incident && room && room.archivedAt === undefined && looks + 1 < MAX_CARD_LOOKS) {
    const card = await readCardRecord(deps.redis, deps.keys, data.key, room.destination);
    if (card === undefined || card.rendered < incident.version) return wait();
  }
  return archiveWarRoom(deps, data.key, final);
}
