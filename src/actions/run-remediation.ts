import type { RedisClient } from '../redis/redis-client.js';
import type { ActionConfig } from '../config/action-schema.js';
import type { CheckContext } from '../probes/check-context.js';
import type { Alert, Incident } from '../model/incident.js';
import { createResultScrubber } from '../observability/create-result-scrubber.js';
import { describeErrorMessage } from '../shared/describe-error-message.js';
import type { ProbeResult } from '../model/probe-result.js';
import { MAX_SUMMARY_LENGTH, startRemediationResult, type RemediationResult } from './remediation-result.js';
import { runExecAction, type ExecActionOptions } from './run-exec-action.js';
import { runHttpAction } from './run-http-action.js';
import { runProbe } from '../probes/run-probe.js';
import { runQueueAction } from './run-queue-action.js';
import { selectActionInputs } from '../templates/select-action-inputs.js';
import { sanitizeText } from '../shared/sanitize-text.js';

/** Options of {@link runRemediation}. */
export interface RemediationOptions {
  /** Stable across every retry of one request: `Idempotency-Key` for http, `WARDEN_IDEMPOTENCY_KEY` for exec. */
  idempotencyKey: string;
  /** Warden's own Redis, for `queue` actions without a `redis` of their own. */
  connection: RedisClient;
  /** The fetch to use for http, http-check and prometheus; defaults to Node's global `fetch`. */
  fetch?: typeof fetch;
  /** Clock in epoch milliseconds; defaults to `Date.now`. */
  now?: () => number;
  /** Secret values to scrub from results (e.g. `listSecrets(config)`). */
  secrets?: readonly string[];
  /** The result scrubber of this process (see `createResultScrubber`); used instead of one built from `secrets`. */
  scrub?: (text: string) => string;
  /** Warden's own queue prefix: `queue` actions may not pause Warden's own queues. */
  wardenPrefix?: string;
  /** Overrides an exec action's timeout (tests). */
  execTimeoutMs?: number;
  /** For exec actions: stops the program (see `runExecAction`). */
  signal?: AbortSignal;
  /** For exec actions: called before the program starts (see `runExecAction`). */
  beforeStart?: ExecActionOptions['beforeStart'];
  /** What built-in probes may use (Redis, the audit stream, the self-audit). */
  context?: CheckContext;
  /** The inputs rendered when the run was requested (see `ActionRendering`): used instead of the incident's alerts. */
  inputs?: Record<string, string>;
}

const PROBE_NOT_RUN = /^not (probed|checked|queried):/;

/**
 * Runs one remediation for an incident, once, and reports it; never throws for what the target
 * or program does (an unexpected error becomes a transient failure).
 *
 * Inputs are `options.inputs` when given (rendered at request time), else they come from the
 * incident and its firing alerts only (see `selectActionInputs`). A
 * remediation targets one value: when the action's templates use `labels.*` and the firing alerts
 * disagree on one of those labels (or some lack it), it is refused as a permanent failure listing
 * the distinct values, and nothing runs — it never picks one of several hosts. With no firing
 * alert, the incident's `commonLabels` are used.
 *
 * `http`, `exec` and `queue` run through their executors; probes (`prometheus`, `http-check` and
 * the built-in kinds) through the probe runner, whose first result becomes the outcome.
 */
export async function runRemediation(actionId: string, action: ActionConfig, incident: Incident, alerts: Alert[], options: RemediationOptions): Promise<RemediationResult> {
  const now = options.now ?? Date.now;
  const scrub = options.scrub ?? createResultScrubber(options.secrets ?? []);
  const refuse = startRemediationResult({ actionId, title: action.title }, { now, scrub });
  const firing = alerts.filter((alert) => alert.status === 'firing');

  const selected = options.inputs ?? selectActionInputs(action, incident, firing);
  if (typeof selected === 'string') return refuse({ ok: false, permanent: true, summary: selected });
  const inputs = selected;

  try {
    switch (action.kind) {
      case 'http':
        return await runHttpAction(action, inputs, { idempotencyKey: options.idempotencyKey, fetch: options.fetch, now, secrets: options.secrets, scrub, actionId });
      case 'exec':
        return await runExecAction(action, inputs, {
          idempotencyKey: options.idempotencyKey,
          now,
          secrets: options.secrets,
          scrub,
          actionId,
          timeoutMs: options.execTimeoutMs,
          signal: options.signal,
          beforeStart: options.beforeStart,
        });
      case 'queue':
        return await runQueueAction(action, inputs, { connection: options.connection, now, secrets: options.secrets, scrub, actionId, wardenPrefix: options.wardenPrefix });
      default: {
        // Every other kind is a probe (runProbe refuses anything else with not_a_probe).
        const [first] = await runProbe(actionId, action, incident, firing, { fetch: options.fetch, now, context: options.context, scrub });
        if (first === undefined) return refuse({ ok: false, permanent: false, summary: 'the probe produced no result' });
        return fromProbeResult(first, scrub);
      }
    }
  } catch (error) {
    return refuse({ ok: false, permanent: false, summary: `failed unexpectedly: ${describeErrorMessage(error, 160)}` });
  }
}

function fromProbeResult(result: ProbeResult, scrub: (text: string) => string): RemediationResult {
  const summary = sanitizeText(scrub(result.target === undefined ? result.summary : `${result.target}: ${result.summary}`), MAX_SUMMARY_LENGTH);
  return {
    actionId: result.actionId,
    title: result.title,
    ok: result.ok,
    summary,
    durationMs: result.durationMs,
    at: result.at,
    ...(result.ok ? {} : { permanent: PROBE_NOT_RUN.test(result.summary) }),
  };
}
