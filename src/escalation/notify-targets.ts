import type { Incident } from '../model/incident.js';
import type { ResolvedTargets } from '../oncall/resolve-targets.js';
import type { Work } from '../ports/work.js';
import type { LocalizedText } from '../shared/messages/locale.js';

/** What to tell the targets; `id` makes every message once (a retried job sends nothing twice). */
export interface TargetMessage {
  id: string;
  title: string;
  text: string;
  /** Also buzz the incident's card on Lark (urgent_app). */
  buzz: boolean;
  /** The title and text in every language; `title` and `text` are the English ones. */
  localized?: { title: LocalizedText; text: LocalizedText };
}

/**
 * Reaches `resolved` about `incident`: a notice in each of the incident's destinations that
 * mentions the targets' identities of that platform (the platform's own mention syntax), a direct
 * message to each identity, and with `buzz` an urgent notification of the card in its Lark chats.
 * Everything goes through the notify queue, within the destinations' budgets.
 */
export async function notifyTargets(work: Work, incident: Incident, resolved: ResolvedTargets, message: TargetMessage): Promise<void> {
  const { id, title, text } = message;
  const localized = message.localized === undefined ? {} : { localized: message.localized };
  for (const destination of incident.destinations) {
    const platform = destination.split(':')[0];
    const mentions = platform === 'console' ? resolved.identities : resolved.identities.filter((identity) => identity.startsWith(`${platform}:`));
    await work.postNotice(id, [destination], { title, text, ...localized, accent: 'critical', ...(mentions.length > 0 ? { mentions } : {}) });
  }
  await work.postPrivateNotice(id, resolved.identities, { title, text, ...localized, accent: 'critical' });
  if (message.buzz) await work.buzzCard(id, incident.key, incident.destinations, resolved.identities);
}
