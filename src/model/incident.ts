import type { Phase } from '../config/action-schema.js';
import type { Destination } from '../config/config-schema.js';
import type { IncidentSilence, SilenceFailure } from './silence.js';
import type { EscalationRecord, EscalationStop } from './escalation-state.js';
import type { WarRoom, WarRoomFailure } from './war-room.js';

/** Where an incident is in the response: `triage` until someone moves it, `closed` when a responder ends it. */
export type IncidentPhase = 'triage' | Phase | 'closed';

/** What the source (Alertmanager) says about the group right now. */
export type SourceStatus = 'firing' | 'resolved';

/** One firing/resolved signal from Alertmanager, identified by its fingerprint. */
export interface Alert {
  fingerprint: string;
  status: SourceStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
}

/** What responders work on: one per open Alertmanager group. Stored in Redis by the incident store. */
export interface Incident {
  /** Deterministic, from the groupKey (and how many incidents that group has had before). */
  key: string;
  groupKey: string;
  /** How many incidents the group had when this one opened, itself included (absent on incidents stored before it was recorded). */
  generation?: number;
  /** Human title: the alert names of the group, e.g. "SuspiciousProcess". */
  title: string;
  /** The `severity` label the group's alerts share, or "unknown". */
  severity: string;
  phase: IncidentPhase;
  status: SourceStatus;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  externalURL: string;
  receiver: string;
  destinations: Destination[];
  playbook: string;
  firing: number;
  resolved: number;
  /** Epoch milliseconds. */
  openedAt: number;
  updatedAt: number;
  /** Identity (`slack:U…`, `lark:ou_…`) of whoever acknowledged it. */
  acknowledgedBy?: string;
  acknowledgedAt?: number;
  /** When the source last reported the whole group resolved. */
  resolvedAt?: number;
  closedAt?: number;
  /** Identity of the responder who closed it (Resolve). */
  closedBy?: string;
  /** When it was contained: it entered the isolate phase, or an isolate-phase action first succeeded (set once). */
  containedAt?: number;
  /** Identity of the incident commander (`/incident lead`). */
  lead?: string;
  leadSetAt?: number;
  /** When the last status update was posted (`/incident update`). */
  lastUpdateAt?: number;
  /** Increases with every change; cards remember the version they show so updates coalesce. */
  version: number;
  /** The active Alertmanager silence Warden made for the incident's alerts. */
  silence?: IncidentSilence;
  /** Why the last silence request failed for good, until one succeeds. */
  silenceFailure?: SilenceFailure;
  /** Alerts of the group Alertmanager left out of its latest notification (`truncatedAlerts`, from `max_alerts`). */
  truncatedAlerts?: number;
  /** The last escalation step taken (src/escalation/). */
  escalation?: EscalationRecord;
  /** Set when escalation was told to stop (see `stopEscalation`). */
  escalationStopped?: EscalationStop;
  /**
   * When the current escalation chain started counting, if not when the incident opened: escalation
   * resumed (the silence that stopped it ended), or a policy came to apply after the incident
   * opened; its steps are timed from then (epoch ms).
   */
  escalationFrom?: number;
  /** The incident's war room (src/war-rooms/). */
  warRoom?: WarRoom;
  /** Why the last war room operation failed for good, until one succeeds. */
  warRoomFailure?: WarRoomFailure;
  /**
   * Names of war rooms Warden asked the platform to make for the incident and has not recorded yet:
   * a retry after a failure between the platform's answer and the record adopts the room of that
   * name instead of making a second one. Unset once the room is recorded.
   */
  warRoomIntent?: string[];
  /** How many war room operations failed for good: the next request's job id counts from it. */
  warRoomFailures?: number;
}

/** One line of an incident's history (`card`: a card was posted anew because its message was gone). */
export interface TimelineEntry {
  at: number;
  kind: 'opened' | 'alerts' | 'resolved' | 'diagnosis' | 'phase' | 'acknowledged' | 'note' | 'action' | 'closed' | 'notification' | 'step' | 'card' | 'lead' | 'update' | 'silence' | 'escalation' | 'page' | 'war-room';
  text: string;
  actor?: string;
  data?: Record<string, unknown>;
}
