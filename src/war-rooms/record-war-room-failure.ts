import type { WarRoomProblem } from './describe-war-room-error.js';
import type { WarRoomDeps } from './war-room-deps.js';

/**
 * Notes a war room operation that failed for good: on the card with its fix until the next
 * success, on the timeline, in the audit log (`war-room.failed`). Every failure counts towards
 * the next request's job id, so a click after the fix tries again.
 */
export async function recordWarRoomFailure(deps: Pick<WarRoomDeps, 'store' | 'work' | 'audit' | 'now'>, key: string, actor: string, what: 'open' | 'invite' | 'pin' | 'archive', problem: WarRoomProblem): Promise<string> {
  const now = deps.now();
  const incident = await deps.store.get(key);
  if (!incident) return 'incident gone';
  const failures = (incident.warRoomFailures ?? 0) + 1;
  const line = problem.fix === undefined ? problem.text : `${problem.text} — fix: ${problem.fix}`;
  const patched = await deps.store.patch(
    key,
    {
      set: { warRoomFailure: { text: problem.text, ...(problem.fix === undefined ? {} : { fix: problem.fix }), textRef: problem.textRef, ...(problem.fixRef === undefined ? {} : { fixRef: problem.fixRef }), at: now }, warRoomFailures: failures },
      timeline: [{ at: now, kind: 'war-room', text: line, actor, data: { state: 'failed', what, code: problem.code } }],
    },
    now,
  );
  if (patched.outcome === 'applied') await deps.work.refreshCards(key, patched.incident.version, patched.incident.destinations);
  await deps.audit.append({ type: 'war-room.failed', actor, subject: key, outcome: problem.code, detail: { what, summary: problem.text, fix: problem.fix ?? null } });
  return problem.text;
}
