/**
 * How long a worker's hold on a job lasts (BullMQ's `lockDuration`, in ms) unless it renews it.
 * Workers renew it every half of it and look for stalled jobs every quarter (see `startWorkers`).
 *
 * A dead worker's job goes back to the queue once its lock has expired and a stalled check has seen
 * it gone. BullMQ renews a live job's lock after 2.5–5 s (it looks every `lockRenewTime / 2`) and
 * the stalled check runs every 2.5 s, so:
 *
 * - a SIGKILLed worker's job is picked up again at most 10 s (lock) + 2.5 s (check) after the kill;
 *   with a restart, the retried job's own work and the card update, the outcome reaches the card
 *   within 20 s (BullMQ's 30 s defaults took up to 66 s);
 * - a live worker keeps at least 5 s of its lock at all times: its event loop, or its connection
 *   to Redis, would have to stall for 5 s before its job could be run a second time. The stalled
 *   check only takes jobs whose lock is gone, so running it often costs a little Redis time, never
 *   a second run.
 *
 * A shorter lock would shave seconds off the recovery but let a busy machine's pauses hand a live
 * job to a second worker. `exec` jobs hold their lock longer, to their program's deadline (see
 * `createLockHolds`).
 */
export const JOB_LOCK_MS = 10_000;
