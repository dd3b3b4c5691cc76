import type { SilenceRequest } from '../model/silence.js';
import type { SilenceJobDeps } from './silence-deps.js';

/**
 * Notes a silence request that failed for good (Alertmanager refused it, stayed unreachable after
 * the retries, or the request was refused): on the card until the next success, on the timeline,
 * and in the audit log as `silence.refused` (`refused`) or `silence.failed`.
 */
export async function recordSilenceFailure(deps: SilenceJobDeps, request: SilenceRequest, text: string, outcome: { type: 'silence.failed' | 'silence.refused'; code: string }): Promise<string> {
  const now = deps.now();
  const what = request.op === 'create' ? 'Silence failed' : 'Expiring the silence failed';
  const line = `${what}: ${text}`;
  const patched = await deps.store.patch(
    request.key,
    {
      set: { silenceFailure: { text: line, at: now } },
      timeline: [{ at: now, kind: 'silence', text: `${line} (asked by ${request.requestedBy})`, actor: request.requestedBy, data: { requestId: request.requestId, state: 'failed' } }],
    },
    now,
  );
  if (patched.outcome === 'applied') await deps.work.refreshCards(request.key, patched.incident.version, patched.incident.destinations);
  await deps.audit.append({ type: outcome.type, actor: request.requestedBy, subject: request.key, outcome: outcome.code, detail: { requestId: request.requestId, op: request.op, summary: text } });
  return line;
}
