/**
 * Entry of a process that runs one exec action for a test (see `start-exec-action-child.ts`): reads
 * the action from `WARDEN_EXEC_CHILD` (JSON), runs it with `runExecAction`, and tells its parent over
 * IPC where the program's process group runs (`run`, before the program starts) and how it ended.
 */
import { runExecAction, type ExecAction } from '../../src/actions/run-exec-action.js';
import type { ExecRun } from '../../src/actions/exec-run.js';
import type { RemediationResult } from '../../src/actions/remediation-result.js';
import { actionSchema } from '../../src/config/action-schema.js';

/** Messages an exec action child sends its parent. */
export type ExecActionChildMessage = { type: 'run'; run: ExecRun } | { type: 'result'; result: RemediationResult };

const send = (message: ExecActionChildMessage) => process.send?.(message);
const action = actionSchema.parse(JSON.parse(process.env.WARDEN_EXEC_CHILD ?? '{}')) as ExecAction;
const result = await runExecAction(action, {}, {
  idempotencyKey: 'warden-exec-child',
  async beforeStart(run) {
    send({ type: 'run', run });
  },
});
send({ type: 'result', result });
process.disconnect?.();
