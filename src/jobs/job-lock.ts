/**
 * How long a worker's hold on a job lasts (BullMQ's `lockDuration`, in ms) unless it renews it.
 *
 * A dead worker's job goes back to the queue once its lock has expired and a stalled check has seen
 * it gone. BullMQ renews a live job's lock every `lockDuration / 2` (checked every quarter, so after
 * 2.5–5 s) and runs the stalled check every `lockDuration / 2` (5 s), so:
 *
 * - a SIGKILLed worker's job is picked up again at most 10 s (lock) + 5 s (check) after the kill,
 *   about 10 s on average; with the retried job's own work and the card update that keeps the
 *   outcome on the card within 20 s (BullMQ's 30 s defaults took up to 66 s);
 * - a live worker keeps at least 5 s of its lock at all times: its event loop, or its connection
 *   to Redis, would have to stall for 5 s before its job could be run a second time.
 *
 * A shorter lock would shave seconds off the recovery but let a busy machine's pauses hand a live
 * job to a second worker. `exec` jobs hold their lock longer, to their program's deadline (see
 * `createLockHolds`).
 */
export const JOB_LOCK_MS = 10_000;
