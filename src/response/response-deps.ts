import type { ApprovalDeps } from '../approvals/approval-deps.js';
import type { ChecklistDeps } from '../checklists/checklist-deps.js';
import type { Config } from '../config/config-schema.js';
import type { RotationCalendars } from '../oncall/create-rotation-calendars.js';

/**
 * What a responder's command or card button may need: incident operations, action runs and
 * approvals, and checklist runs. The inbound job builds it once per process; each operation takes
 * only its own part of it.
 */
export interface ResponseDeps extends ApprovalDeps {
  /** Checklist runs (the checklist card's buttons and `/audit`); absent where checklists are not loaded. */
  checklists?: ChecklistDeps;
  /** Where Alertmanager is and how silences work (the Silence button, `/incident silence`); absent where silences are not wired. */
  silencing?: Pick<Config, 'alertmanager' | 'routes' | 'access'>;
  /** The on-call rotations' calendars (`/oncall`, `/incident page`). */
  calendars?: RotationCalendars;
}
