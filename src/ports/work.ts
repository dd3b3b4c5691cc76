import type { ActionRendering } from '../model/action-rendering.js';
import type { InboundEvent } from '../model/inbound-event.js';
import type { SilenceRequest } from '../model/silence.js';
import type { EscalationWork } from './escalation-work.js';
import type { WarRoomWork } from './war-room-work.js';
import type { LocalizedText } from '../shared/messages/locale.js';

/** A one-off message for a channel or a person (a reminder, an escalation, a missed slot, a checkpoint). No secrets: it is stored as queued work. */
export interface Notice {
  title: string;
  text: string;
  accent: 'critical' | 'warning' | 'info' | 'success' | 'neutral';
  /** Identities to mention with the platform's own syntax (those of the destination's platform); identities only, never names. */
  mentions?: string[];
  /** The title and text in every language (what readers see); `title` and `text` are the English ones. */
  localized?: { title: LocalizedText; text: LocalizedText };
}

/**
 * One run of an action for an incident, as requested (and approved, for destructive actions).
 * `requestId` is stable across redeliveries and retries; the action's idempotency key derives from it.
 */
export interface RemediationRequest {
  key: string;
  actionId: string;
  requestId: string;
  requestedBy: string;
  /** Who approved it, for destructive actions. */
  approvedBy?: string;
  /**
   * The run as rendered when it was requested (approved, for destructive actions): exactly what
   * runs. No secret: previews are masked and inputs are alert labels and incident fields. Absent in
   * requests made before runs were rendered at request time; those are refused, never re-rendered.
   */
  rendering?: ActionRendering;
}

/** Whose cards {@link Work.refreshCards} brings up to date: an incident's, or a checklist run's. */
export type CardSubject = 'incident' | 'checklist-run';

/**
 * The work the core asks for, done later and elsewhere (by workers, within chat budgets, with
 * retries). The core takes this port and never a queue; `createJobWork` (src/jobs/) implements it
 * on BullMQ, where queue names, job ids, data shapes and options live. Every request is
 * idempotent: asked twice (a redelivered notification, a retried click), it is done once.
 */
export interface Work extends EscalationWork, WarRoomWork {
  /** Bring the cards of `key` (an incident, or a checklist run) to `version` in each destination. */
  refreshCards(key: string, version: number, destinations: readonly string[], options?: { subject?: CardSubject; delayMs?: number }): Promise<void>;
  /** Queue the card and diagnosis work that the open incidents of these Alertmanager groups need, once intake batch `batch` is recorded. */
  dispatchGroups(groupKeys: string[], batch: string): Promise<void>;
  /** Run the incident's analyze-phase probes; `requestId` names the click that asked. */
  diagnose(key: string, requestId: string): Promise<void>;
  /** Run one action once. */
  remediate(request: RemediationRequest): Promise<void>;
  /** Run a checklist run's automated checks (all, or `itemIds`); `post`: post the run's cards afterwards. `requestId` names who asked. */
  checkChecklistItems(runId: string, request: { itemIds?: string[]; post?: boolean; requestId: string }): Promise<void>;
  /** Carry out a verified, authorized command or click. */
  handleInbound(event: InboundEvent): Promise<void>;
  /** Post `notice` once to each destination; `id` makes it once. */
  postNotice(id: string, destinations: readonly string[], notice: Notice): Promise<void>;
  /** Post `notice` privately to each identity (`slack:U…`), through `via` (a destination on that platform) when given; `id` makes it once. */
  postPrivateNotice(id: string, identities: readonly string[], notice: Notice, via?: string): Promise<void>;
  /**
   * In `delayMs`, remind incident `key`'s lead privately to post a status update, unless the lead
   * changed or an update was posted after `since` (the time of the last of those); once per `since`.
   */
  remindLead(key: string, since: number, delayMs: number): Promise<void>;
  /** True while the scheduled start of `checklistId` at `slot` is still waiting to run (it is late, not missed). */
  isScheduledStartPending(checklistId: string, slot: number): Promise<boolean>;
  /** Create or expire an incident's Alertmanager silence, once per `requestId`; `delayMs`: not before then. */
  changeSilence(request: SilenceRequest, options?: { delayMs?: number }): Promise<void>;
}
