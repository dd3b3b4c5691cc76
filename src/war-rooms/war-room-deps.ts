import type { AuditLog } from '../audit/audit-log.js';
import type { Config } from '../config/config-schema.js';
import type { IncidentStore } from '../incidents/create-incident-store.js';
import type { RotationCalendars } from '../oncall/create-rotation-calendars.js';
import type { ChatAdapters } from '../ports/chat-adapter.js';
import type { Work } from '../ports/work.js';

/** What opening, pinning and archiving a war room need (the `war-rooms` jobs). */
export interface WarRoomDeps {
  /** Routes and `warRooms` (the settings), people, groups, rotations and escalation policies (whom to invite). */
  config: Pick<Config, 'routes' | 'warRooms' | 'access' | 'oncall' | 'escalation'>;
  store: IncidentStore;
  work: Work;
  audit: AuditLog;
  adapters: Pick<ChatAdapters, 'slack' | 'lark'>;
  now: () => number;
  /** The rotations' calendars (whoever is on call now). */
  calendars?: RotationCalendars;
}
