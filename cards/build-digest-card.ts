import type { Incident } from '../src/model/incident.js';
import type { Card, CardAccent } from './card.js';
import { cardCaps } from './card-limits.js';
import { formatUtcTime } from '../src/shared/format-utc-time.js';
import { CRITICAL_DIGEST_ORDER_BELOW, digestOrder } from './digest-order.js';
import { localizeCard } from './localize-card.js';
import type { Translator } from '../src/shared/messages/translator.js';

/** What an alert-storm digest covers. */
export interface DigestCardInput {
  /** The destination whose individual cards are paused, e.g. `slack:C0123`. */
  destination: string;
  /** The incidents opened in the window; with `total`, only the first of them in digest order (`digestOrder`). */
  incidents: Incident[];
  /** How many incidents the digest covers, and how many are critical, when `incidents` lists only the first. */
  total?: { count: number; critical: number };
  /** Epoch milliseconds. */
  windowStart: number;
  windowEnd: number;
}

/**
 * Builds the alert-storm digest that replaces individual cards for a destination in a storm: how
 * many incidents opened, the first 30 (most severe first) and "+N more", and how to reach any one
 * of them. A storm is always shown, never silently dropped.
 */
export function buildDigestCard(input: DigestCardInput): Card {
  return localizeCard((t) => buildDigestCardIn(input, t));
}

function buildDigestCardIn(input: DigestCardInput, t: Translator): Card {
  const count = input.total?.count ?? input.incidents.length;
  const one = count === 1;
  const ordered = [...input.incidents].sort((a, b) => digestOrder(a) - digestOrder(b) || a.key.localeCompare(b.key));
  const shown = ordered.slice(0, cardCaps.digestIncidents);
  const critical = input.total?.critical ?? input.incidents.filter((incident) => incident.severity === 'critical').length;
  const window = `${formatUtcTime(input.windowStart)} – ${formatUtcTime(input.windowEnd)}`;

  return {
    title: t(one ? 'card.digest.title.one' : 'card.digest.title.other', { count }),
    accent: chooseAccent(input.incidents),
    summary: `${t(one ? 'card.digest.summary.one' : 'card.digest.summary.other', { destination: input.destination, count })}${critical > 0 ? t('card.digest.summaryCritical', { count: critical }) : ''}`,
    blocks: [
      {
        type: 'fields',
        fields: [
          { label: t('card.digest.field.new'), value: String(count) },
          { label: t('card.digest.field.critical'), value: String(critical) },
          { label: t('card.digest.field.window'), value: window },
          { label: t('card.digest.field.destination'), value: input.destination },
        ],
      },
      {
        type: 'list',
        title: t('card.digest.list.incidents'),
        items: shown.map((i) => t('card.digest.item', { severity: i.severity, title: i.title, firing: i.firing, key: i.key })),
        moreCount: count - shown.length,
      },
      {
        type: 'context',
        text: t('card.digest.paused', { destination: input.destination }),
      },
    ],
  };
}

function chooseAccent(incidents: readonly Incident[]): CardAccent {
  const best = Math.min(...incidents.map((incident) => Math.floor(digestOrder(incident) / CRITICAL_DIGEST_ORDER_BELOW)));
  if (best === 0) return 'critical';
  if (best === 1) return 'warning';
  return 'info';
}
