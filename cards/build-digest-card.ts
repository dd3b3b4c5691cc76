import type { Incident } from '../src/model/incident.js';
import type { Card, CardAccent } from './card.js';
import { cardCaps } from './card-limits.js';
import { formatUtcTime } from '../src/shared/format-utc-time.js';

/** What an alert-storm digest covers. */
export interface DigestCardInput {
  /** The destination whose individual cards are paused, e.g. `slack:C0123`. */
  destination: string;
  /** The incidents opened in the window. */
  incidents: Incident[];
  /** Epoch milliseconds. */
  windowStart: number;
  windowEnd: number;
}

const severityRank: Record<string, number> = { critical: 0, warning: 1, info: 2 };

/**
 * Builds the alert-storm digest that replaces individual cards for a destination in a storm: how
 * many incidents opened, the first 30 (most severe first) and "+N more", and how to reach any one
 * of them. A storm is always shown, never silently dropped.
 */
export function buildDigestCard(input: DigestCardInput): Card {
  const count = input.incidents.length;
  const noun = count === 1 ? 'incident' : 'incidents';
  const ordered = [...input.incidents].sort(
    (a, b) => rankOf(a.severity) - rankOf(b.severity) || a.openedAt - b.openedAt || a.key.localeCompare(b.key),
  );
  const shown = ordered.slice(0, cardCaps.digestIncidents);
  const critical = input.incidents.filter((incident) => incident.severity === 'critical').length;
  const window = `${formatUtcTime(input.windowStart)} – ${formatUtcTime(input.windowEnd)}`;

  return {
    title: `Alert storm: ${count} new ${noun} in this minute`,
    accent: chooseAccent(input.incidents),
    summary: `Alert storm on ${input.destination}: ${count} new ${noun}${critical > 0 ? ` (${critical} critical)` : ''}`,
    blocks: [
      {
        type: 'fields',
        fields: [
          { label: 'New incidents', value: String(count) },
          { label: 'Critical', value: String(critical) },
          { label: 'Window', value: window },
          { label: 'Destination', value: input.destination },
        ],
      },
      {
        type: 'list',
        title: 'Incidents',
        items: shown.map((i) => `[${i.severity}] ${i.title} — ${i.firing} firing — key ${i.key}`),
        moreCount: count - shown.length,
      },
      {
        type: 'context',
        text:
          `Individual incident cards are paused for ${input.destination} while the storm lasts; ` +
          'every incident is still open and tracked. Use /incident show <key> to see one.',
      },
    ],
  };
}

function chooseAccent(incidents: readonly Incident[]): CardAccent {
  const best = Math.min(...incidents.map((incident) => rankOf(incident.severity)));
  if (best === 0) return 'critical';
  if (best === 1) return 'warning';
  return 'info';
}

function rankOf(severity: string): number {
  return severityRank[severity] ?? 3;
}
