import type { Alert, Incident } from '../src/model/incident.js';
import type { CardLink } from './card.js';
import { cardCaps } from './card-limits.js';
import { isLinkHostAllowed } from './is-link-host-allowed.js';
import { toSafeUrl } from './safe-url.js';
import { translator, type Translator } from '../src/shared/messages/translator.js';

/**
 * The links worth a click on an incident card: Alertmanager (`externalURL`, which Alertmanager
 * itself sets), then the alerts' distinct `runbook_url` annotations and `generatorURL`s (the first
 * few of each) whose host is in `linkHosts` or is the Alertmanager's own: whoever can push an alert
 * chooses those URLs, so a card never vouches for a host nobody named. Only http(s) URLs survive,
 * and every label names the link's host, so a reader sees where a click leads.
 */
export function collectIncidentLinks(incident: Incident, alerts: readonly Alert[], linkHosts: readonly string[] = [], t: Translator = translator('en')): CardLink[] {
  const links: CardLink[] = [];
  const alertmanager = toSafeUrl(incident.externalURL);
  const hosts = alertmanager === undefined ? linkHosts : [...linkHosts, new URL(alertmanager).host];
  if (alertmanager !== undefined) links.push({ label: t('card.links.alertmanager', { host: new URL(alertmanager).host }), url: alertmanager });
  const runbooks = distinctUrls(alerts.map((alert) => alert.annotations['runbook_url']), hosts, cardCaps.runbookLinks);
  runbooks.forEach((url, i) => links.push({ label: labelLink(t('card.links.runbook'), url, i, runbooks.length), url }));
  const sources = distinctUrls(alerts.map((alert) => alert.generatorURL), hosts, cardCaps.sourceLinks);
  sources.forEach((url, i) => links.push({ label: labelLink(t('card.links.source'), url, i, sources.length), url }));
  return links;
}

function distinctUrls(candidates: Array<string | undefined>, hosts: readonly string[], cap: number): string[] {
  const urls = new Set<string>();
  for (const candidate of candidates) {
    const url = toSafeUrl(candidate);
    if (url !== undefined && isLinkHostAllowed(url, hosts)) urls.add(url);
    if (urls.size === cap) break;
  }
  return [...urls];
}

function labelLink(label: string, url: string, index: number, count: number): string {
  return `${count > 1 ? `${label} ${index + 1}` : label} · ${new URL(url).host}`;
}
