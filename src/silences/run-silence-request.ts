import { isWardenError } from '../errors/warden-error.js';
import type { SilenceRequest } from '../model/silence.js';
import { createIncidentSilence } from './create-incident-silence.js';
import { expireIncidentSilence } from './expire-incident-silence.js';
import { recordSilenceFailure } from './record-silence-failure.js';
import type { SilenceJobDeps } from './silence-deps.js';
import { silenceErrorReason } from './silence-setup-error.js';

const SILENCE_ERRORS = new Set(['alertmanager_unavailable', 'alertmanager_rejected', 'alertmanager_unknown', 'silence_no_matchers']);

/**
 * Carries out one silence request (a `silences` job attempt). A transient Alertmanager failure is
 * thrown so the job is retried, unless this is the `final` attempt; a permanent one (a 400, no
 * address, no labels) or the last transient one is recorded on the card and the timeline with
 * Alertmanager's answer and audited as `silence.failed`. Anything else (Redis) is thrown.
 */
export async function runSilenceRequest(deps: SilenceJobDeps, request: SilenceRequest, attempt: { final: boolean }): Promise<string> {
  try {
    return request.op === 'create' ? await createIncidentSilence(deps, request) : await expireIncidentSilence(deps, request);
  } catch (error) {
    if (!isWardenError(error) || !SILENCE_ERRORS.has(error.code)) throw error;
    if (error.retryable && !attempt.final) throw error;
    return recordSilenceFailure(deps, request, silenceErrorReason(error), { type: 'silence.failed', code: error.code });
  }
}
