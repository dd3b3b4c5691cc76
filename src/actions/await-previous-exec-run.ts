import { setTimeout as sleep } from 'node:timers/promises';
import { formatUtcSeconds } from '../shared/format-utc-time.js';
import type { ExecRun } from './exec-run.js';
import { formatDuration } from '../shared/format-duration.js';
import { isOnThisMachine } from './identify-process.js';
import { isProcessGroupRunning } from './is-process-group-running.js';
import { killProcessGroup } from './kill-process-group.js';
import { sanitizeText } from '../shared/sanitize-text.js';

/** Options of {@link awaitPreviousExecRun}. */
export interface AwaitPreviousOptions {
  /** Clock in epoch milliseconds (the one the run's times were taken with). */
  now: () => number;
  /** Stops the wait (the job's lock was lost, the worker is stopping): the promise rejects. */
  signal?: AbortSignal;
  /** How often this machine's process table is looked at; default 200 ms. */
  pollMs?: number;
}

/** Proceed (`note` says how long it waited and for what, if it did), or do not: `refusal` says why. */
export type PreviousRunOutcome = { note?: string } | { refusal: string };

/** Clocks of two machines (NTP) may differ by this much: another machine's deadline is awaited this much longer. */
const CLOCK_MARGIN_MS = 2000;
/** A group that was SIGKILLed is gone within milliseconds; this long and it is not going away. */
const KILL_WAIT_MS = 2000;

/**
 * Before an attempt starts an exec program again, makes sure the program an earlier attempt of the
 * same request started (`previous`) no longer runs, so the two never run at once:
 *
 * - on this machine, waits while its process group lives, until its deadline at the latest; past
 *   the deadline (its supervisor is gone too) kills the group itself. A group that cannot be killed
 *   (another user's processes) or does not die is a refusal: nothing runs, and the card says
 *   which process to stop.
 * - on another machine Warden cannot look: it waits until the deadline has passed there, by which
 *   that machine's supervisor has killed the group.
 *
 * Waiting rather than killing at once: the program was started on purpose (and approved, if
 * destructive); a remediation stopped halfway can leave a host worse off than one left to finish,
 * and its timeout bounds the wait.
 */
export async function awaitPreviousExecRun(previous: ExecRun, options: AwaitPreviousOptions): Promise<PreviousRunOutcome> {
  const { now, signal } = options;
  const pollMs = options.pollMs ?? 200;
  const started = now();
  const waited = (what: string) => ({ note: `waited ${formatDuration(now() - started)} for ${what}` });
  const { group } = previous;
  const described = `the previous attempt's program (process group ${group.pid} on ${sanitizeText(group.host, 64)}, started ${formatUtcSeconds(previous.startedAt)})`;

  if (!isOnThisMachine(group)) {
    const until = previous.deadline + CLOCK_MARGIN_MS;
    if (now() >= until) return {};
    await sleep(until - now(), undefined, { signal });
    return waited(`${described} to reach its timeout`);
  }
  if (!isProcessGroupRunning(group)) return {};
  do {
    const left = previous.deadline - now();
    if (left > 0) {
      await sleep(Math.min(pollMs, left), undefined, { signal });
      continue;
    }
    if (killProcessGroup(group.pid) === 'denied') return { refusal: `not run: ${described} still runs past its timeout and Warden may not stop it; stop that process group, then run the action again` };
    const killedAt = now();
    while (isProcessGroupRunning(group)) {
      if (now() - killedAt > KILL_WAIT_MS) return { refusal: `not run: ${described} still runs past its timeout and did not stop when killed; stop that process group, then run the action again` };
      await sleep(pollMs / 4, undefined, { signal });
    }
    return waited(`${described} to end; it ran past its timeout and was killed`);
  } while (isProcessGroupRunning(group));
  return waited(`${described} to end`);
}
