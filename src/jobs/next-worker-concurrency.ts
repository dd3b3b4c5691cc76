/**
 * A worker's next concurrency given the event loop's delay: half as many jobs (at least one) while
 * the delay is over `targetMs`, one more (at most `max`) while it is under half of it, the same in
 * between, so that the worker does not swing around the target.
 */
export function nextWorkerConcurrency(current: number, max: number, delayMs: number, targetMs: number): number {
  if (delayMs > targetMs) return Math.max(1, Math.floor(current / 2));
  if (delayMs < targetMs / 2) return Math.min(max, current + 1);
  return Math.min(max, Math.max(1, current));
}
