import { textRef } from '../shared/messages/text-ref.js';
import { SilenceSetupError } from './silence-setup-error.js';
import type { Incident } from '../model/incident.js';
import type { SilenceMatcher } from './create-silence-api.js';

/**
 * The matchers that silence an incident's alerts and nothing else: one exact matcher
 * (`isEqual: true, isRegex: false`) per group label — the labels that make the group, so every
 * alert of it and no other group's. A group without group labels (a route without `group_by`) is
 * matched by the labels all its alerts share. Throws when there is neither: Alertmanager refuses a
 * silence without matchers, and one that matched everything would hide every alert.
 */
export function buildSilenceMatchers(incident: Pick<Incident, 'groupLabels' | 'commonLabels'>): SilenceMatcher[] {
  const labels = Object.keys(incident.groupLabels ?? {}).length > 0 ? incident.groupLabels : (incident.commonLabels ?? {});
  const matchers = Object.entries(labels)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => ({ name, value, isRegex: false, isEqual: true }));
  if (matchers.length === 0) {
    throw new SilenceSetupError('silence_no_matchers', textRef('card.silence.error.noMatchers'));
  }
  return matchers;
}

/** The matchers as Alertmanager's filter syntax, one `name="value"` each (for `GET /api/v2/silences?filter=`). */
export function toFilterMatchers(matchers: readonly SilenceMatcher[]): string[] {
  return matchers.map((matcher) => `${matcher.name}=${JSON.stringify(matcher.value)}`);
}
