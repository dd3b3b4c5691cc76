import type { Incident } from '../src/model/incident.js';
import { formatUtcTime } from '../src/shared/format-utc-time.js';
import { buildAlertmanagerUrl } from './build-alertmanager-url.js';
import type { CardBlock, CardButton, CardLink } from './card.js';
import { translator, type Translator } from '../src/shared/messages/translator.js';
import { showText } from '../src/shared/messages/text-ref.js';

/** Action ids of the incident card's Silence and Unsilence buttons (value `{"k":"<key>"}`). */
export const SILENCE_BUTTON_ACTION_ID = 'incident.silence';
export const UNSILENCE_BUTTON_ACTION_ID = 'incident.unsilence';

/** What an incident card shows about silencing its alerts. */
export interface SilenceBlocks {
  /** The active silence (until when, by whom) and the last failure, as context lines. */
  status: CardBlock[];
  /** Silence, or Unsilence while a silence is active. */
  button: CardButton;
  /** Alertmanager's new-silence form pre-filled with the group's labels. */
  links: CardLink[];
}

/**
 * The incident card's silence part: the active silence with its end, who made it (and approved
 * it) and its reason; the last failure ("Silence failed: Alertmanager unreachable at …"); the
 * Silence or Unsilence button; and a link to Alertmanager's silence form for the group's labels.
 */
export function buildSilenceBlocks(incident: Incident, t: Translator = translator('en')): SilenceBlocks {
  const status: CardBlock[] = [];
  const silence = incident.silence;
  if (silence !== undefined) {
    const approved = silence.approvedBy === undefined ? '' : t('card.silence.approvedBy', { who: silence.approvedBy });
    const reason = silence.reason === undefined ? '' : ` — ${silence.reason}`;
    status.push({ type: 'context', text: t('card.silence.active', { until: formatUtcTime(silence.endsAt), by: silence.createdBy, approved, reason, id: silence.id }) });
  }
  const failure = incident.silenceFailure;
  // A failure recorded before its message was kept shows its English text.
  if (failure !== undefined) status.push({ type: 'context', text: t('card.silence.failure', { text: showText(t, failure.text, failure.textRef), at: formatUtcTime(failure.at) }) });
  const value = JSON.stringify({ k: incident.key });
  const button: CardButton = silence === undefined ? { actionId: SILENCE_BUTTON_ACTION_ID, label: t('card.silence.button.silence'), value } : { actionId: UNSILENCE_BUTTON_ACTION_ID, label: t('card.silence.button.unsilence'), value };
  const url = buildAlertmanagerUrl(incident.externalURL, 'silences/new', incident.groupLabels ?? {});
  const links = url === undefined ? [] : [{ label: t('card.silence.newLink', { host: new URL(url).host }), url }];
  return { status, button, links };
}
