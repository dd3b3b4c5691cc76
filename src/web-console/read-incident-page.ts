import type { CardLink } from '../../cards/card.js';
import { collectIncidentLinks } from '../../cards/collect-incident-links.js';
import type { ApprovalRequest } from '../model/approval-request.js';
import type { IncidentView } from '../incidents/create-incident-store.js';
import type { TimelineEntry } from '../model/incident.js';
import type { ConsoleDeps } from './console-deps.js';
import { routeOf } from './filter-incidents.js';

/** Where one of the incident's cards lives, with a link that opens it when the platform has one. */
export interface CardPlace {
  destination: string;
  /** The message id (Slack `ts`, Lark `message_id`); absent while the card is being posted anew. */
  id?: string;
  /** The card version it shows. */
  rendered?: number;
  url?: string;
}

/** Everything the incident page shows. */
export interface IncidentPage extends IncidentView {
  timeline: TimelineEntry[];
  approvals: ApprovalRequest[];
  cards: CardPlace[];
  route: string;
  /** The links the incident's card shows: Alertmanager, runbooks and sources on allowed hosts (`cards.linkHosts`). */
  links: CardLink[];
}

/** How many timeline entries the page shows (the newest). */
export const TIMELINE_LIMIT = 500;

/** A link that opens a chat message: Slack's archive link by channel and `ts`; Lark chats have no public message link. */
export function linkToMessage(destination: string, id: string | undefined): string | undefined {
  const slack = /^slack:([A-Z0-9]{2,32})$/.exec(destination);
  if (slack && id && /^\d+\.\d+$/.test(id)) return `https://slack.com/archives/${slack[1]}/p${id.replace('.', '')}`;
  if (slack) return `https://slack.com/app_redirect?channel=${slack[1]}`;
  return undefined;
}

function parseCardPlace(destination: string, json: string): CardPlace {
  try {
    const stored = JSON.parse(json) as { id?: unknown; rendered?: unknown };
    const id = typeof stored.id === 'string' ? stored.id : undefined;
    const url = linkToMessage(destination, id);
    return { destination, ...(id ? { id } : {}), ...(typeof stored.rendered === 'number' ? { rendered: stored.rendered } : {}), ...(url ? { url } : {}) };
  } catch {
    return { destination };
  }
}

/** Reads an incident with its alerts, diagnosis, timeline, approval requests and cards; null when there is none. */
export async function readIncidentPage(deps: Pick<ConsoleDeps, 'config' | 'store' | 'approvals' | 'redis' | 'keys' | 'linkHosts'>, key: string): Promise<IncidentPage | null> {
  const view = await deps.store.view(key);
  if (!view) return null;
  const [timeline, approvals, messages] = await Promise.all([deps.store.timeline(key, TIMELINE_LIMIT), deps.approvals.listForIncident(key), deps.redis.hgetall(deps.keys.messages(key))]);
  const cards = Object.entries(messages)
    .map(([destination, json]) => parseCardPlace(destination, json))
    .sort((a, b) => a.destination.localeCompare(b.destination));
  return { ...view, timeline, approvals, cards, route: routeOf(deps.config.routes, view.incident), links: collectIncidentLinks(view.incident, view.alerts, deps.linkHosts) };
}
