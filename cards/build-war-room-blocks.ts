import type { Incident } from '../src/model/incident.js';
import { hasWarRoomRetry } from '../src/model/has-war-room-retry.js';
import { formatUtcTime } from '../src/shared/format-utc-time.js';
import type { CardBlock, CardButton } from './card.js';
import { toSafeUrl } from './safe-url.js';
import type { Translator } from '../src/shared/messages/translator.js';
import { showText } from '../src/shared/messages/text-ref.js';

/** Action id of the incident card's War room button (value `{"k":"<key>"}`). */
export const WAR_ROOM_BUTTON_ACTION_ID = 'incident.war-room';

/** What an incident card shows about its war room. */
export interface WarRoomBlocks {
  /** The link to the room ("War room: #inc-…"), or that it was archived, and the last failure with its fix. */
  status: CardBlock[];
  /** War room, while the incident is open and has no room, or its room has a failure to retry. */
  button?: CardButton;
}

/**
 * The incident card's war room part: a link to the room while it is open, a line once it is
 * archived (or once people were asked to archive it), the last failure with what fixes it, and the
 * War room button until the incident has a room (and while a pin or invitation of the room failed:
 * pressing it again retries them).
 */
export function buildWarRoomBlocks(incident: Incident, t: Translator): WarRoomBlocks {
  const status: CardBlock[] = [];
  const room = incident.warRoom;
  if (room !== undefined && room.archivedAt !== undefined) {
    status.push({ type: 'context', text: t('card.warRoom.archived', { name: room.name, at: formatUtcTime(room.archivedAt) }) });
  } else if (room !== undefined) {
    const url = toSafeUrl(room.url);
    const label = t('card.warRoom.link', { name: room.name });
    status.push(url === undefined ? { type: 'context', text: label } : { type: 'links', links: [{ label, url }] });
    if (room.archiveNote !== undefined) status.push({ type: 'context', text: t('card.warRoom.archiveAsked', { name: room.name }) });
  }
  const failure = incident.warRoomFailure;
  if (failure !== undefined) {
    // Failures recorded before their messages were kept show their English text.
    const text = showText(t, failure.text, failure.textRef);
    const fix = failure.fix === undefined ? undefined : showText(t, failure.fix, failure.fixRef);
    const at = formatUtcTime(failure.at);
    status.push({ type: 'context', text: fix === undefined ? t('card.warRoom.failure', { text, at }) : t('card.warRoom.failureFix', { text, at, fix }) });
  }
  const button = (room === undefined && incident.phase !== 'closed') || hasWarRoomRetry(incident) ? { actionId: WAR_ROOM_BUTTON_ACTION_ID, label: t('card.warRoom.button'), value: JSON.stringify({ k: incident.key }) } : undefined;
  return { status, ...(button === undefined ? {} : { button }) };
}
