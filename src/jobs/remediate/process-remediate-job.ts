import { UnrecoverableError, type Job } from 'bullmq';
import type { RedisClient } from '../../redis/redis-client.js';
import type { Logger } from 'pino';
import { checkRenderingCurrent } from '../../actions/check-rendering-current.js';
import { MAX_SUMMARY_LENGTH, type RemediationResult } from '../../actions/remediation-result.js';
import type { ApprovalStore } from '../../approvals/create-approval-store.js';
import { runRemediation } from '../../actions/run-remediation.js';
import { sanitizeText } from '../../shared/sanitize-text.js';
import type { AuditLog } from '../../audit/audit-log.js';
import type { CheckContext } from '../../probes/check-context.js';
import type { Config } from '../../config/config-schema.js';
import type { IncidentStore } from '../../incidents/create-incident-store.js';
import type { RedisKeys } from '../../redis/redis-keys.js';
import type { LockHold } from '../create-lock-holds.js';
import type { RemediateJobData } from '../create-queues.js';
import type { Work } from '../../ports/work.js';
import { checkRemediationAuthority, type AuthorityOutcome } from './check-remediation-authority.js';
import { createExecRunGuard } from './create-exec-run-guard.js';
import { markPlaybookStep } from '../../playbooks/mark-playbook-step.js';
import type { Playbook } from '../../playbooks/playbook-schema.js';
import { selectPlaybook } from '../../playbooks/select-playbook.js';
import type { MilestoneObserver } from '../../incidents/incident-milestone.js';
import { markIncidentContained } from '../../incidents/mark-incident-contained.js';

/** What a remediate job needs. */
export interface RemediateDeps {
  /** The worker connection: results, and the BullMQ queues built-in queue actions pause. */
  redis: RedisClient;
  keys: RedisKeys;
  store: IncidentStore;
  work: Work;
  actions: Config['actions'];
  audit: AuditLog;
  logger: Logger;
  now: () => number;
  /** Every configured secret: scrubbed out of results, masked in rendered runs. */
  secrets: readonly string[];
  /** Access control as configured now: the job checks the requester's and the approver's authority again. */
  access: Config['access'];
  /** Approval requests: a destructive action runs only with its approval on record. */
  approvals: ApprovalStore;
  /** The result scrubber built from `secrets` (see `createResultScrubber`), applied before a result is stored. */
  scrub?: (text: string) => string;
  /** Warden's own BullMQ prefix: queue actions may not pause Warden's queues. */
  wardenPrefix: string;
  /** Playbook steps bound to an action are ticked when it succeeds. */
  playbooks: ReadonlyMap<string, Playbook>;
  /** What built-in probes may use (Redis, the audit stream, the self-audit). */
  checkContext?: CheckContext;
  /** Told when a successful isolate-phase action set the incident's containment time here. */
  observeMilestone?: MilestoneObserver;
}

// A finished request is remembered this long, so a job added again much later runs nothing.
const RESULT_TTL_SECONDS = 30 * 24 * 3600;

/** The result as saved: `recorded` once the timeline, the cards and the audit log have it. */
type StoredResult = RemediationResult & { recorded?: boolean };

function stripRecorded({ recorded: _recorded, ...result }: StoredResult): RemediationResult {
  return result;
}

/** What the worker gives one attempt of a remediate job. */
export interface RemediateControl {
  /** Aborted when the job's lock is lost or the worker stops: an exec program is killed, nothing is recorded. */
  signal?: AbortSignal;
  /** The job's say over its lock: an exec attempt holds it until its program's deadline. */
  lock?: LockHold;
}

/**
 * Runs one requested (and, if destructive, approved) action for an incident, effective once:
 * every attempt sends the same idempotency key (`Idempotency-Key` header for `http`,
 * `WARDEN_IDEMPOTENCY_KEY` for `exec`), so a retry after a crash or a Redis restart lets the target
 * drop the repeat, and a finished request is recorded so it never runs again. Transient failures
 * are retried with backoff; the final result — success or the failure that ended the retries — is
 * saved first, then recorded on the timeline and the card and audited; an attempt that stops in
 * between is finished by the next one from the saved result, without running the action again.
 * An `exec` program never runs twice at once: see `createExecRunGuard`.
 *
 * Right before the effect, the job checks authority again against the configuration in force (see
 * `checkRemediationAuthority`) and runs exactly the rendering stored with the request, after making
 * sure the action as configured now still renders it the same (see `checkRenderingCurrent`). A
 * refusal is a permanent failure: on the card, the timeline and in the audit log.
 */
export async function processRemediateJob(job: Job<RemediateJobData>, deps: RemediateDeps, control: RemediateControl = {}): Promise<string> {
  const { key, actionId, requestId, requestedBy } = job.data;
  const resultKey = deps.keys.remediation(requestId);
  const saved = await deps.redis.get(resultKey);
  const stored = saved ? (JSON.parse(saved) as StoredResult) : undefined;
  // Entries written before `recorded` existed were recorded in full.
  if (stored && stored.recorded !== false) return `already done: ${stored.summary}`;

  const action = deps.actions[actionId];
  const view = await deps.store.view(key);
  if (!view) return 'incident gone';
  const started = deps.now();
  const refuse = (summary: string): RemediationResult => ({ actionId, title: action?.title ?? actionId, ok: false, summary, durationMs: 0, at: started, permanent: true });
  let result: RemediationResult;
  let approvedBy = job.data.approvedBy;
  const authority = stored || !action || view.incident.phase === 'closed' ? undefined : await checkAuthority(job.data, action, deps);
  // An attempt that stopped after saving the result (a crash, Redis gone) left the recording undone:
  // finish it with that result, never running the action again.
  if (stored) result = stripRecorded(stored);
  else if (!action) result = refuse(`not run: the action "${actionId}" is no longer configured`);
  else if (view.incident.phase === 'closed') result = refuse('not run: the incident was closed before it started');
  else if (authority === undefined || 'refusal' in authority) {
    const refusal = authority?.refusal ?? { code: 'not_checked', summary: 'not run: its authority could not be checked' };
    await deps.audit.append({ type: 'remediation.refused', actor: 'warden', subject: key, outcome: refusal.code, detail: { actionId, requestId, requestedBy, approvedBy: approvedBy ?? null, summary: refusal.summary } });
    result = refuse(refusal.summary);
  } else {
    approvedBy = authority.approvedBy;
    await deps.audit.append({ type: 'job.started', actor: 'warden', subject: key, detail: { queue: 'remediate', actionId, requestId, attempt: job.attemptsMade + 1, requestedBy, approvedBy: approvedBy ?? null } });
    const guard = action.kind === 'exec' ? createExecRunGuard(deps, requestId, control.lock) : undefined;
    const previous = (await guard?.awaitPrevious(control.signal)) ?? {};
    if ('refusal' in previous) result = refuse(previous.refusal);
    else {
      try {
        result = await runRemediation(actionId, action, view.incident, view.alerts, {
          idempotencyKey: `warden-${requestId}`,
          connection: deps.redis,
          now: deps.now,
          secrets: deps.secrets,
          scrub: deps.scrub,
          wardenPrefix: deps.wardenPrefix,
          context: deps.checkContext,
          signal: control.signal,
          beforeStart: guard?.beforeStart,
          inputs: authority.rendering.inputs,
        });
      } finally {
        // A record left behind is only looked at (and found dead) by the next attempt.
        await guard?.finish().catch((error: unknown) => deps.logger.warn({ key, actionId, requestId, err: error }, 'could not forget the exec run'));
      }
      // Stopped with its lock lost or its worker stopping: another attempt carries on; nothing is recorded.
      if (control.signal?.aborted) throw new Error(`${result.title}: ${result.summary}`);
      if (previous.note !== undefined) result = { ...result, summary: sanitizeText(`${result.summary}; ${previous.note}`, MAX_SUMMARY_LENGTH) };
    }
    const attempts = job.opts.attempts ?? 1;
    if (!result.ok && result.permanent !== true && job.attemptsMade + 1 < attempts) {
      deps.logger.warn({ key, actionId, attempt: job.attemptsMade + 1, summary: result.summary }, 'remediation failed; it will be retried');
      throw new Error(`${result.title}: ${result.summary} (will be retried)`);
    }
  }

  if (!stored) {
    // First result wins: a concurrent duplicate of this job records nothing twice.
    const first = await deps.redis.set(resultKey, JSON.stringify({ ...result, recorded: false } satisfies StoredResult), 'EX', RESULT_TTL_SECONDS, 'NX');
    if (first !== 'OK') return 'already recorded';
  }
  // An attempt that stopped after noting the result (its card update or audit entry failed, e.g. in
  // a failover) is finished without noting it on the timeline a second time.
  const noted = stored !== undefined && (await deps.store.timeline(key)).some((entry) => entry.kind === 'action' && entry.at === result.at && entry.data?.actionId === actionId);
  const outcome = noted
    ? undefined
    : await deps.store.recordActionResult(
        key,
        { actionId, title: result.title, ok: result.ok, summary: result.summary, at: result.at, durationMs: result.durationMs },
        approvedBy ? `${requestedBy}, approved by ${approvedBy}` : requestedBy,
        deps.now(),
      );
  // An isolate-phase action that succeeded contains the incident, unless something did before.
  const contained = result.ok && action?.phase === 'isolate' && (await markIncidentContained(deps.store, key, result.at, deps.now(), deps.observeMilestone));
  const incident = outcome && !contained ? (outcome.outcome === 'applied' ? outcome.incident : undefined) : await deps.store.get(key);
  if (incident) await deps.work.refreshCards(key, incident.version, incident.destinations);
  await deps.audit.append({
    type: result.ok ? 'job.completed' : 'job.failed',
    actor: 'warden',
    subject: key,
    outcome: result.ok ? 'ok' : 'failed',
    detail: { queue: 'remediate', actionId, requestId, summary: result.summary, status: result.status ?? null, attempts: job.attemptsMade + 1 },
  });
  if (result.ok) {
    const playbook = selectPlaybook(deps.playbooks, view.incident.playbook);
    const bound = Object.values(playbook?.phases ?? {}).flatMap((steps) => steps ?? []).filter((step) => step.action === actionId);
    for (const step of bound) await markPlaybookStep(deps, key, step.id, requestedBy);
  }
  await deps.redis.set(resultKey, JSON.stringify({ ...result, recorded: true } satisfies StoredResult), 'EX', RESULT_TTL_SECONDS);
  if (!result.ok && result.permanent === true && action && view.incident.phase !== 'closed') {
    // Recorded and shown; no retry can help.
    throw new UnrecoverableError(`${result.title}: ${result.summary}`);
  }
  return `${result.ok ? 'ok' : 'failed'}: ${result.summary}`;
}

/** The authority check, then whether the stored rendering is still what the action renders. */
async function checkAuthority(data: RemediateJobData, action: NonNullable<Config['actions'][string]>, deps: RemediateDeps): Promise<AuthorityOutcome> {
  const authority = await checkRemediationAuthority(data, action, deps);
  if ('refusal' in authority) return authority;
  const changed = checkRenderingCurrent(action, authority.rendering, deps.secrets);
  return changed === undefined ? authority : { refusal: { code: 'configuration_changed', summary: changed } };
}
