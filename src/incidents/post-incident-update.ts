import { createHash } from 'node:crypto';
import type { Incident } from '../model/incident.js';
import type { IncidentOperationDeps, IncidentOperationResult } from './incident-operation.js';
import type { IncidentUpdateSettings } from './resolve-incident-updates.js';
import { say } from '../shared/messages/say.js';
import { localize, localizeWith } from '../shared/messages/localize.js';
import { localizeNotice } from '../shared/messages/localize-notice.js';

/** How far back a retried update looks for itself on the timeline. */
const RETRY_LOOKBACK = 500;

/** Options for {@link postIncidentUpdate}. */
export interface PostIncidentUpdateOptions {
  /** A stable id of the request (the inbound event id): a retried job posts and notes the update once. */
  requestId: string;
  /** Where else it goes and when the lead is reminded next, from the incident's route (see `resolveIncidentUpdates`). */
  settingsFor: (incident: Incident) => IncidentUpdateSettings;
}

/**
 * Posts a status update (`/incident update <key> <text…>`) to the incident's channels and its
 * route's `updates.to` destinations (stakeholders), notes it on the timeline as `update` and
 * audits it as `incident.update` (its length, not the text). Each update restarts the lead's
 * reminder clock. Updates are taken until the incident is closed.
 */
export async function postIncidentUpdate(deps: IncidentOperationDeps, key: string, actor: string, text: string, options: PostIncidentUpdateOptions): Promise<IncidentOperationResult> {
  const current = await deps.store.get(key);
  if (!current) return { outcome: 'refused', ...say('op.incident.unknown', { key }) };
  const timeline = await deps.store.timeline(key, RETRY_LOOKBACK);
  const noted = timeline.find((entry) => entry.kind === 'update' && entry.data?.['requestId'] === options.requestId);
  if (noted) {
    // A retry after a crash between noting and posting: the notices (deterministic ids) go out once.
    await send(deps, current, actor, text, noted.at, options);
    return { outcome: 'unchanged', incident: current, ...say('op.update.already', { key }) };
  }
  const now = deps.now();
  const result = await deps.store.patch(
    key,
    { set: { lastUpdateAt: now }, timeline: [{ at: now, kind: 'update', text, actor, data: { requestId: options.requestId } }], unlessPhase: 'closed' },
    now,
  );
  if (result.outcome === 'missing') return { outcome: 'refused', ...say('op.incident.unknown', { key }) };
  if (result.outcome === 'refused') return { outcome: 'refused', ...say('op.update.closed', { key }) };
  const { incident } = result;
  const destinations = await send(deps, incident, actor, text, now, options);
  await deps.work.refreshCards(key, incident.version, incident.destinations);
  await deps.audit.append({ type: 'incident.update', actor, subject: key, outcome: 'ok', detail: { chars: text.length, destinations: destinations.length } });
  return { outcome: 'changed', incident, ...say('op.update.done', { key, destinations: destinations.join(', ') }) };
}

async function send(deps: IncidentOperationDeps, incident: Incident, actor: string, text: string, at: number, options: PostIncidentUpdateOptions): Promise<string[]> {
  const settings = options.settingsFor(incident);
  const destinations = [...new Set([...incident.destinations, ...settings.to])];
  const id = `incident-update.${incident.key}.${createHash('sha256').update(options.requestId).digest('hex').slice(0, 24)}`;
  await deps.work.postNotice(id, destinations, {
    ...localizeNotice(
      localize('notice.update.title', { title: incident.title, key: incident.key }),
      localizeWith((t) => t('notice.update.text', { text, actor, phase: t(`card.phase.${incident.phase}`) })),
    ),
    accent: 'info',
  });
  if (settings.remindAfterMs > 0 && incident.lead !== undefined) await deps.work.remindLead(incident.key, Math.max(at, incident.leadSetAt ?? 0), settings.remindAfterMs);
  return destinations;
}
