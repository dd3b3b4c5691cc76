import type { Incident } from '../src/model/incident.js';
import { buildAlertmanagerUrl } from './build-alertmanager-url.js';
import type { CardBlock } from './card.js';

/**
 * When Alertmanager cut alerts from its notification (`truncatedAlerts`, the receiver's
 * `max_alerts`): a line saying how many, and a link to the whole group in Alertmanager. Nothing otherwise.
 */
export function buildTruncatedAlertsBlocks(incident: Pick<Incident, 'truncatedAlerts' | 'externalURL' | 'groupLabels'>): CardBlock[] {
  const count = incident.truncatedAlerts ?? 0;
  if (count <= 0) return [];
  const blocks: CardBlock[] = [{ type: 'context', text: `+${count} more alert${count === 1 ? '' : 's'} not sent by Alertmanager (the receiver's max_alerts); the whole group is in Alertmanager.` }];
  const url = buildAlertmanagerUrl(incident.externalURL, 'alerts', incident.groupLabels ?? {});
  if (url !== undefined) blocks.push({ type: 'links', links: [{ label: `All alerts of the group in Alertmanager · ${new URL(url).host}`, url }] });
  return blocks;
}
