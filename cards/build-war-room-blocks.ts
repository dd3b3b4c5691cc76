import type { Incident } from '../src/model/incident.js';
import { formatUtcTime } from '../src/shared/format-utc-time.js';
import type { CardBlock, CardButton } from './card.js';
import { toSafeUrl } from './safe-url.js';
import { warRoomTexts } from './war-room-texts.js';

/** Action id of the incident card's War room button (value `{"k":"<key>"}`). */
export const WAR_ROOM_BUTTON_ACTION_ID = 'incident.war-room';

/** What an incident card shows about its war room. */
export interface WarRoomBlocks {
  /** The link to the room ("War room: #inc-…"), or that it was archived, and the last failure with its fix. */
  status: CardBlock[];
  /** War room, while the incident is open and has no room. */
  button?: CardButton;
}

/**
 * The incident card's war room part: a link to the room while it is open, a line once it is
 * archived (or once people were asked to archive it), the last failure with what fixes it, and the
 * War room button until the incident has a room.
 */
export function buildWarRoomBlocks(incident: Incident): WarRoomBlocks {
  const status: CardBlock[] = [];
  const room = incident.warRoom;
  if (room !== undefined && room.archivedAt !== undefined) {
    status.push({ type: 'context', text: warRoomTexts.archivedLine(room.name, formatUtcTime(room.archivedAt)) });
  } else if (room !== undefined) {
    const url = toSafeUrl(room.url);
    status.push(url === undefined ? { type: 'context', text: warRoomTexts.linkLabel(room.name) } : { type: 'links', links: [{ label: warRoomTexts.linkLabel(room.name), url }] });
    if (room.archiveNote !== undefined) status.push({ type: 'context', text: warRoomTexts.archiveAskedLine(room.name) });
  }
  const failure = incident.warRoomFailure;
  if (failure !== undefined) status.push({ type: 'context', text: warRoomTexts.failureLine(failure.text, formatUtcTime(failure.at), failure.fix) });
  const button = room === undefined && incident.phase !== 'closed' ? { actionId: WAR_ROOM_BUTTON_ACTION_ID, label: warRoomTexts.buttonLabel, value: JSON.stringify({ k: incident.key }) } : undefined;
  return { status, ...(button === undefined ? {} : { button }) };
}
