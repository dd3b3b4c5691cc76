import type { Card } from '../../cards/card.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { IncidentStore } from './create-incident-store.js';
import type { MilestoneObserver } from './incident-milestone.js';
import type { Incident } from '../model/incident.js';
import type { Work } from '../ports/work.js';
import type { LocalizedText } from '../shared/messages/locale.js';

/** What responders' operations on an incident need (acknowledge, move phase, note, close). */
export interface IncidentOperationDeps {
  store: IncidentStore;
  work: Work;
  audit: AuditLog;
  now: () => number;
  /** Told when this process set an acknowledgement, containment or resolution time (the MTTx metrics). */
  observeMilestone?: MilestoneObserver;
  /** Closing the incident expires its Alertmanager silence (`alertmanager.silence.expireOnResolve`). Default false. */
  expireSilencesOnClose?: boolean;
}

/**
 * The result of a responder's operation, with a sentence for the person who asked: `changed` when
 * the incident (and so its cards) changed, `unchanged` when there was nothing to do (already
 * acknowledged, already in that phase), `refused` when it cannot be done (closed, unknown key).
 * `message` is English (logs, audit); `localized`, when set, is the same sentence in every language
 * and is what the person is shown.
 */
export type IncidentOperationResult =
  /** `incident` is absent for changes to other things (a checklist run). */
  | { outcome: 'changed'; incident?: Incident; message: string; localized?: LocalizedText }
  /** `publicCard`: posted in the channel where the button was clicked (e.g. a postmortem draft). */
  | { outcome: 'unchanged'; incident?: Incident; message: string; localized?: LocalizedText; publicCard?: Card }
  | { outcome: 'refused'; message: string; localized?: LocalizedText };
