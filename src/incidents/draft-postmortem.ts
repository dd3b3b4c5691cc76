import type { Card } from '../../cards/card.js';
import { buildPostmortemCard } from '../../cards/build-postmortem-card.js';
import type { IncidentStore } from './create-incident-store.js';
import { buildPostmortem } from './build-postmortem.js';

/** The postmortem reads at most this many (the latest) timeline entries. */
const POSTMORTEM_TIMELINE_LIMIT = 1000;

/** The incident's postmortem draft as a card to post in the channel, or null when there is no such incident. */
export async function draftPostmortem(store: IncidentStore, key: string, now: number): Promise<Card | null> {
  const [view, timeline] = await Promise.all([store.view(key), store.timeline(key, POSTMORTEM_TIMELINE_LIMIT)]);
  if (!view) return null;
  const markdown = buildPostmortem({ incident: view.incident, timeline, diagnosis: view.diagnosis, generatedAt: now });
  return buildPostmortemCard(key, markdown);
}
