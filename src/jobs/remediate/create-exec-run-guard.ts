import type { RedisClient } from '../../redis/redis-client.js';
import { awaitPreviousExecRun, type PreviousRunOutcome } from '../../actions/await-previous-exec-run.js';
import type { ExecRun } from '../../actions/exec-run.js';
import { WardenError } from '../../errors/warden-error.js';
import { acquireLock, type Lock } from '../../redis/acquire-lock.js';
import type { RedisKeys } from '../../redis/redis-keys.js';
import type { LockHold } from '../create-lock-holds.js';

/** What one attempt of a remediate job does around its exec program. */
export interface ExecRunGuard {
  /** Waits until a program an earlier attempt started no longer runs, or says why this attempt must not run it. */
  awaitPrevious(signal?: AbortSignal): Promise<PreviousRunOutcome>;
  /** `beforeStart` of the program: holds the job's lock past its deadline and records where it runs. */
  beforeStart(run: ExecRun): Promise<void>;
  /** Once the program ended: forgets the run and gives the job its regular lock back. */
  finish(): Promise<void>;
}

/** A run record outlives a dead attempt long enough for any retry (backoff included) to find it. */
const RECORD_TTL_MS = 24 * 3600 * 1000;
/** The job's lock outlasts the program's deadline by this much: the supervisor's kill, and a slow Redis. */
const HOLD_MARGIN_MS = 2000;

/**
 * Keeps two attempts of one remediation request from ever running its exec program at once, and a
 * retry from starting while an earlier attempt's program may still run.
 *
 * Before the program starts, the attempt (1) holds its job lock until the program's deadline plus
 * a margin — a worker that dies meanwhile is not replaced before its program's supervisor has
 * surely ended it — and (2) records the run (host, process group, deadline) under the request, in
 * a key only one attempt can hold. A later attempt that finds a record awaits that run first (see
 * `awaitPreviousExecRun`) and then takes the record over; the record goes when the program ended.
 */
export function createExecRunGuard(deps: { redis: RedisClient; keys: RedisKeys; now: () => number }, requestId: string, lock?: LockHold): ExecRunGuard {
  const key = deps.keys.execRun(requestId);
  let previous: string | undefined;
  let record: Lock | null = null;
  return {
    async awaitPrevious(signal) {
      previous = (await deps.redis.get(key)) ?? undefined;
      if (previous === undefined) return {};
      return awaitPreviousExecRun(JSON.parse(previous) as ExecRun, { now: deps.now, signal });
    },
    async beforeStart(run) {
      if (lock && !(await lock.hold(run.deadline - run.startedAt + HOLD_MARGIN_MS))) {
        throw new WardenError('job_lock_lost', 'this attempt lost its job lock before the program started');
      }
      record = await acquireLock(deps.redis, key, RECORD_TTL_MS, { value: JSON.stringify(run), replacing: previous });
      if (!record) throw new WardenError('exec_run_taken', 'another attempt of this request started the program meanwhile');
    },
    async finish() {
      await record?.release();
      await lock?.release();
    },
  };
}
