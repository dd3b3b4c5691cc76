import type { IncidentOperationDeps, IncidentOperationResult } from './incident-operation.js';
import { say } from '../shared/messages/say.js';

/** How far back a retried note looks for itself on the timeline. */
const RETRY_LOOKBACK = 500;

/** Options for {@link addIncidentNote}. */
export interface AddIncidentNoteOptions {
  /**
   * A stable id of the request (the inbound event id): a retried job that finds a note with this id
   * on the timeline adds nothing, so a note lands once however often its job runs.
   */
  requestId?: string;
}

/**
 * Appends a lesson learned or finding (`/incident note <key> <text…>`) to the incident's timeline:
 * kind `note`, `actor` and the text as typed (renderers escape it). Notes are taken until the
 * incident is closed, like every other change; a closed incident's record stays as it was closed.
 * Audited as `incident.note` (the text's length, not the text: the audit log is never pruned).
 */
export async function addIncidentNote(
  deps: IncidentOperationDeps,
  key: string,
  actor: string,
  text: string,
  options: AddIncidentNoteOptions = {},
): Promise<IncidentOperationResult> {
  const { requestId } = options;
  if (requestId !== undefined) {
    const current = await deps.store.get(key);
    if (!current) return { outcome: 'refused', ...say('op.incident.unknown', { key }) };
    const timeline = await deps.store.timeline(key, RETRY_LOOKBACK);
    if (timeline.some((entry) => entry.kind === 'note' && entry.data?.['requestId'] === requestId)) {
      await deps.work.refreshCards(key, current.version, current.destinations);
      return { outcome: 'unchanged', incident: current, ...say('op.note.already', { key }) };
    }
  }
  const now = deps.now();
  const result = await deps.store.patch(
    key,
    {
      timeline: [{ at: now, kind: 'note', text, actor, ...(requestId === undefined ? {} : { data: { requestId } }) }],
      unlessPhase: 'closed',
    },
    now,
  );
  if (result.outcome === 'missing') return { outcome: 'refused', ...say('op.incident.unknown', { key }) };
  if (result.outcome === 'refused') return { outcome: 'refused', ...say('op.note.closed', { key }) };
  const { incident } = result;
  await deps.work.refreshCards(key, incident.version, incident.destinations);
  await deps.audit.append({ type: 'incident.note', actor, subject: key, outcome: 'ok', detail: { chars: text.length } });
  return { outcome: 'changed', incident, ...say('op.note.done', { key, title: incident.title }) };
}
