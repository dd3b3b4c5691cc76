import type { SilenceRequest } from '../model/silence.js';
import { englishOf, textRef, type TextParam } from '../shared/messages/text-ref.js';
import type { SilenceJobDeps } from './silence-deps.js';

/**
 * Notes a silence request that failed for good (Alertmanager refused it, stayed unreachable after
 * the retries, or the request was refused): on the card until the next success (as a catalogue
 * message, so each card shows it in its language), on the timeline, and in the audit log as
 * `silence.refused` (`refused`) or `silence.failed`. `reason` is Alertmanager's answer as it came,
 * or Warden's own as a message.
 */
export async function recordSilenceFailure(deps: SilenceJobDeps, request: SilenceRequest, reason: TextParam, outcome: { type: 'silence.failed' | 'silence.refused'; code: string }): Promise<string> {
  const now = deps.now();
  const ref = textRef(request.op === 'create' ? 'card.silence.failed.create' : 'card.silence.failed.expire', { reason });
  const line = englishOf(ref);
  const patched = await deps.store.patch(
    request.key,
    {
      set: { silenceFailure: { text: line, textRef: ref, at: now } },
      timeline: [{ at: now, kind: 'silence', text: `${line} (asked by ${request.requestedBy})`, actor: request.requestedBy, data: { requestId: request.requestId, state: 'failed' } }],
    },
    now,
  );
  if (patched.outcome === 'applied') await deps.work.refreshCards(request.key, patched.incident.version, patched.incident.destinations);
  const summary = typeof reason === 'object' ? englishOf(reason) : reason;
  await deps.audit.append({ type: outcome.type, actor: request.requestedBy, subject: request.key, outcome: outcome.code, detail: { requestId: request.requestId, op: request.op, summary } });
  return line;
}
