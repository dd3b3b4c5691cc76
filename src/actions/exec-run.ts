import type { ProcessIdentity } from './identify-process.js';

/**
 * A program an `exec` action started: where its process group runs and when it ends at the latest.
 * Remembered while the program runs, so that another attempt of the same request can tell whether
 * it may still be running.
 */
export interface ExecRun {
  /** The program's supervisor, leader of its process group (its pid is the group id). */
  group: ProcessIdentity;
  /** When the program was started (epoch ms). */
  startedAt: number;
  /** By then (epoch ms) the supervisor has killed the group, unless it was gone before. */
  deadline: number;
}
