import type { Alert, Incident } from '../src/incidents/incident.js';
import type { CardLink } from './card.js';
import { cardCaps } from './card-limits.js';
import { toSafeUrl } from './safe-url.js';

/**
 * The links worth a click on an incident card: Alertmanager (`externalURL`), the alerts' distinct
 * `runbook_url` annotations and `generatorURL`s (the first few of each). Only http(s) URLs survive.
 */
export function collectIncidentLinks(incident: Incident, alerts: readonly Alert[]): CardLink[] {
  const links: CardLink[] = [];
  const alertmanager = toSafeUrl(incident.externalURL);
  if (alertmanager !== undefined) links.push({ label: 'Alertmanager', url: alertmanager });
  const runbooks = distinctUrls(alerts.map((alert) => alert.annotations['runbook_url']), cardCaps.runbookLinks);
  runbooks.forEach((url, i) => links.push({ label: numbered('Runbook', i, runbooks.length), url }));
  const sources = distinctUrls(alerts.map((alert) => alert.generatorURL), cardCaps.sourceLinks);
  sources.forEach((url, i) => links.push({ label: numbered('Source', i, sources.length), url }));
  return links;
}

function distinctUrls(candidates: Array<string | undefined>, cap: number): string[] {
  const urls = new Set<string>();
  for (const candidate of candidates) {
    const url = toSafeUrl(candidate);
    if (url !== undefined) urls.add(url);
    if (urls.size === cap) break;
  }
  return [...urls];
}

function numbered(label: string, index: number, count: number): string {
  return count > 1 ? `${label} ${index + 1}` : label;
}
