import type { Incident } from '../src/model/incident.js';
import { buildAlertmanagerUrl } from './build-alertmanager-url.js';
import type { CardBlock } from './card.js';
import { translator, type Translator } from '../src/shared/messages/translator.js';

/**
 * When Alertmanager cut alerts from its notification (`truncatedAlerts`, the receiver's
 * `max_alerts`): a line saying how many, and a link to the whole group in Alertmanager. Nothing otherwise.
 */
export function buildTruncatedAlertsBlocks(incident: Pick<Incident, 'truncatedAlerts' | 'externalURL' | 'groupLabels'>, t: Translator = translator('en')): CardBlock[] {
  const count = incident.truncatedAlerts ?? 0;
  if (count <= 0) return [];
  const blocks: CardBlock[] = [{ type: 'context', text: t(count === 1 ? 'card.truncated.one' : 'card.truncated.other', { count }) }];
  const url = buildAlertmanagerUrl(incident.externalURL, 'alerts', incident.groupLabels ?? {});
  if (url !== undefined) blocks.push({ type: 'links', links: [{ label: t('card.truncated.link', { host: new URL(url).host }), url }] });
  return blocks;
}
