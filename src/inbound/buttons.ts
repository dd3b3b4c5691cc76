import { actionButtons } from './action-buttons.js';
import type { ButtonHandler } from './button-handler.js';
import { checklistButtons } from './checklist-buttons.js';
import { incidentButtons } from './incident-buttons.js';
import { silenceButtons } from './silence-buttons.js';
import { warRoomButtons } from './war-room-buttons.js';

/**
 * Every card button Warden answers that needs nothing but the operation deps. Add a button by
 * listing its handler here; `incident.step` (playbook steps) is added by `createWarden`, which
 * gives it the loaded playbooks.
 */
export const buttons: readonly ButtonHandler[] = [...incidentButtons, ...actionButtons, ...checklistButtons, ...silenceButtons, ...warRoomButtons] as readonly ButtonHandler[];
