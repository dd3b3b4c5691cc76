import type { ProbeResult } from '../src/model/probe-result.js';
import type { Alert, Incident } from '../src/model/incident.js';
import type { Card, CardAccent, CardBlock, CardButton } from './card.js';
import { cardCaps } from './card-limits.js';
import { cleanText } from './clean-text.js';
import { collectIncidentLinks } from './collect-incident-links.js';
import { truncateText } from './fit-text.js';
import { formatUtcTime } from '../src/shared/format-utc-time.js';
import { selectLatestDiagnosis } from './select-latest-diagnosis.js';
import { buildSilenceBlocks } from './build-silence-blocks.js';
import { buildTruncatedAlertsBlocks } from './build-truncated-alerts-blocks.js';
import { buildEscalationContext } from './build-escalation-context.js';
import { buildWarRoomBlocks } from './build-war-room-blocks.js';

/** One playbook step of the incident's current phase, as the card shows it. */
export interface PlaybookStepView {
  /** The step id: an open step with an id and no action gets a "Done" button. */
  id?: string;
  title: string;
  state: 'open' | 'done' | 'skipped';
  /** How to do it; shown while the step is open. */
  guidance?: string;
  /** Title of the action the step runs (its button is among the phase's actions). */
  action?: string;
  /** Who ticked it, and when (epoch ms). */
  by?: string;
  at?: number;
}

/** A configured action the current phase offers: one button, labelled with its title. */
export interface PlaybookActionView {
  id: string;
  title: string;
  /** Shown as a danger button. */
  destructive: boolean;
}

/** A pending request to run a destructive action: Approve and Deny buttons for someone else with `action.approve`. */
export interface ApprovalView {
  id: string;
  title: string;
  requestedBy: string;
  expiresAt: number;
  /** What approving runs, rendered at request time (secrets masked), as lines; absent for a request stored without it. */
  runs?: string[];
  /** The template inputs that rendering used (`labels.instance = web-5:9100`). */
  inputs?: string[];
  /** What a rendering made now would run, when the incident changed so that it differs (or why none could run). */
  renderedNow?: string[];
}

/** Everything an incident card shows. */
export interface IncidentCardInput {
  incident: Incident;
  /** The incident's alerts (firing and resolved). */
  alerts: Alert[];
  /** Probe results so far; the card keeps the latest per action and target. */
  diagnosis: ProbeResult[];
  /** The incident's playbook and its current phase's steps. */
  playbook?: { title: string; steps: PlaybookStepView[] };
  /** The current phase's steps without a playbook title; ignored when `playbook` is given. */
  steps?: PlaybookStepView[];
  /** The current phase's actions: those configured for the phase and those its steps run. */
  actions?: PlaybookActionView[];
  /** Pending approval requests (oldest first). */
  approvals?: ApprovalView[];
  /** Hosts that runbook and source links may point to (`cards.linkHosts`); see `collectIncidentLinks`. */
  linkHosts?: readonly string[];
}

/** Action id of a step's "Done" button (value `{"k":"<key>","s":"<step id>"}`) and of an action's button (value `{"k","a"}`). */
export const STEP_BUTTON_ACTION_ID = 'incident.step';
export const ACTION_BUTTON_ACTION_ID = 'action.run';
/** Action ids of an approval request's buttons (value `{"k":"<key>","r":"<request id>"}`). */
export const APPROVE_BUTTON_ACTION_ID = 'approval.approve';
export const DENY_BUTTON_ACTION_ID = 'approval.deny';

/** Buttons per kind on one card; the rest is summarised as "+N more". */
const playbookButtonCaps = { steps: 8, actions: 8 } as const;

/** The incident buttons, in card order. Inbound handlers route on these action ids. */
export const incidentButtons = [
  { actionId: 'incident.acknowledge', label: 'Acknowledge' },
  { actionId: 'incident.isolate', label: 'Isolate' },
  { actionId: 'incident.analyze', label: 'Analyze' },
  { actionId: 'incident.recover', label: 'Recover' },
  { actionId: 'incident.optimize', label: 'Optimize' },
  { actionId: 'incident.resolve', label: 'Resolve' },
] as const;

const stepMarkers: Record<PlaybookStepView['state'], string> = { open: '☐', done: '☑', skipped: '⊘' };

/**
 * Builds the incident card (DESIGN.md §5): severity, alert names, affected instances, counts, who
 * acknowledged, phase, playbook steps, latest diagnosis, links, the incident key and — unless the
 * incident is closed — the six response buttons. In a response phase the playbook's steps of that
 * phase show with their state, each open manual step has a "Done" button, and each of the phase's
 * actions a button labelled with its title (danger when destructive). Long lists end in "+N more".
 */
export function buildIncidentCard(input: IncidentCardInput): Card {
  const { incident, alerts } = input;
  const sourceResolved = incident.status === 'resolved';
  const closed = incident.phase === 'closed';
  const alertNames = distinctLabel(alerts, 'alertname');
  const instances = distinctLabel(alerts, 'instance');
  const title = `${sourceResolved ? 'Resolved: ' : ''}${incident.title || alertNames.join(', ') || 'Incident'}`;

  const blocks: CardBlock[] = [
    {
      type: 'fields',
      fields: [
        { label: 'Severity', value: incident.severity },
        { label: 'Phase', value: incident.phase },
        { label: 'Alerts', value: `${incident.firing} firing · ${incident.resolved} resolved` },
        { label: 'Acknowledged', value: describeAcknowledgement(incident) },
        ...(incident.lead === undefined ? [] : [{ label: 'Lead', value: incident.lead, mention: incident.lead }]),
        { label: 'Key', value: incident.key },
      ],
    },
  ];
  blocks.push(...buildEscalationContext(incident));
  if (alertNames.length > 0) blocks.push(capList('Alert names', alertNames, cardCaps.alertNames));
  if (instances.length > 0) blocks.push(capList('Instances', instances, cardCaps.instances));
  blocks.push(...buildTruncatedAlertsBlocks(incident));
  // Steps and actions belong to the response phases: none in triage, none once closed.
  const working = incident.phase !== 'triage' && !closed;
  const steps = input.playbook?.steps ?? input.steps ?? [];
  const playbookTitle = input.playbook === undefined ? '' : ` · ${input.playbook.title}`;
  if (working && steps.length > 0) {
    blocks.push(capList(`Playbook steps — ${incident.phase}${playbookTitle}`, steps.map(describeStep), cardCaps.playbookSteps));
    blocks.push(...stepButtons(incident.key, steps));
  } else if (input.playbook !== undefined && !closed) {
    const when = working ? ` has no ${incident.phase} steps` : ': its steps appear once the incident moves to Isolate, Analyze, Recover or Optimize';
    blocks.push({ type: 'context', text: `Playbook “${input.playbook.title}”${when}.` });
  }
  blocks.push(...diagnosisBlocks(input.diagnosis));
  const links = collectIncidentLinks(incident, alerts, input.linkHosts);
  if (links.length > 0) blocks.push({ type: 'links', links });
  if (sourceResolved) {
    const at = formatUtcTime(incident.resolvedAt ?? incident.updatedAt);
    blocks.push({ type: 'context', text: `The source resolved this incident at ${at}. Responders still close it with Resolve.` });
  }
  if (closed) blocks.push({ type: 'context', text: `Closed at ${formatUtcTime(incident.closedAt ?? incident.updatedAt)}.` });
  blocks.push({ type: 'context', text: `Incident key: ${incident.key} · show it anywhere with /incident show ${incident.key}` });
  const warRoom = buildWarRoomBlocks(incident);
  blocks.push(...warRoom.status);
  if (!closed) {
    const silence = buildSilenceBlocks(incident);
    blocks.push(...silence.status);
    if (silence.links.length > 0) blocks.push({ type: 'links', links: silence.links });
    blocks.push({ type: 'divider' });
    blocks.push(...approvalBlocks(incident.key, input.approvals ?? []));
    if (working) blocks.push(...actionButtons(incident, input.actions ?? []));
    if (incident.phase === 'optimize') blocks.push(...lessonsBlocks(incident.key));
    blocks.push({ type: 'actions', buttons: [...buildButtons(incident), silence.button, ...(warRoom.button ? [warRoom.button] : [])] });
  }

  return { title, accent: chooseAccent(incident), summary: summarize(incident, title, instances), blocks };
}

/** Action id of the optimize phase's "Postmortem draft" button (value `{"k":"<key>"}`). */
export const POSTMORTEM_BUTTON_ACTION_ID = 'incident.postmortem';

// Optimize is the post-incident phase: lessons learned go on the timeline, then into the draft.
function lessonsBlocks(key: string): CardBlock[] {
  return [
    { type: 'context', text: `Lessons learned: /incident note ${key} <what to keep, what to change> — each note goes into the postmortem draft.` },
    { type: 'actions', buttons: [{ actionId: POSTMORTEM_BUTTON_ACTION_ID, label: 'Postmortem draft', value: JSON.stringify({ k: key }) }] },
  ];
}

function buildButtons(incident: Incident): CardButton[] {
  const value = JSON.stringify({ k: incident.key });
  return incidentButtons.map(({ actionId, label }) => {
    const button: CardButton = { actionId, label, value };
    if (actionId === 'incident.acknowledge' && incident.acknowledgedBy === undefined) button.style = 'primary';
    return button;
  });
}

function describeStep(step: PlaybookStepView): string {
  let text = `${stepMarkers[step.state]} ${step.title}`;
  if (step.action !== undefined) text += ` (action: ${step.action})`;
  if (step.state === 'skipped') text += ' (skipped)';
  if (step.state !== 'open' && step.by !== undefined) text += ` — ${step.by}${step.at === undefined ? '' : `, ${formatUtcTime(step.at)}`}`;
  if (step.state === 'open' && step.guidance !== undefined && step.guidance !== '') text += ` — ${step.guidance}`;
  return text;
}

// Slack wants action ids unique within one actions block, so buttons sharing an action id
// (every "Done", every action) each get a block of their own.
function stepButtons(key: string, steps: readonly PlaybookStepView[]): CardBlock[] {
  const open = steps.filter((step) => step.state === 'open' && step.id !== undefined && step.action === undefined);
  const shown = open.slice(0, playbookButtonCaps.steps);
  const blocks: CardBlock[] = shown.map((step) => ({
    type: 'actions',
    buttons: [{ actionId: STEP_BUTTON_ACTION_ID, label: `Done: ${step.title}`, value: JSON.stringify({ k: key, s: step.id }) }],
  }));
  const more = open.length - shown.length;
  if (more > 0) blocks.push({ type: 'context', text: `+${more} more open steps; their Done buttons appear as these are ticked.` });
  return blocks;
}

function actionButtons(incident: Incident, actions: readonly PlaybookActionView[]): CardBlock[] {
  if (actions.length === 0) return [];
  const shown = actions.slice(0, playbookButtonCaps.actions);
  const more = actions.length - shown.length;
  const blocks: CardBlock[] = [{ type: 'context', text: `Actions for ${incident.phase}${more > 0 ? ` (+${more} more not shown)` : ''}:` }];
  for (const action of shown) {
    const button: CardButton = { actionId: ACTION_BUTTON_ACTION_ID, label: action.title, value: JSON.stringify({ k: incident.key, a: action.id }) };
    if (action.destructive) button.style = 'danger';
    blocks.push({ type: 'actions', buttons: [button] });
  }
  return blocks;
}

const APPROVALS_SHOWN = 3;

function approvalBlocks(key: string, approvals: readonly ApprovalView[]): CardBlock[] {
  const blocks: CardBlock[] = [];
  for (const approval of approvals.slice(0, APPROVALS_SHOWN)) {
    const value = JSON.stringify({ k: key, r: approval.id });
    blocks.push(
      { type: 'context', text: `Approval needed: ${approval.title}, requested by ${approval.requestedBy}; someone else with action.approve decides before ${formatUtcTime(approval.expiresAt)}.` },
      ...renderedRunBlocks(approval),
      {
        type: 'actions',
        buttons: [
          { actionId: APPROVE_BUTTON_ACTION_ID, label: `Approve: ${approval.title}`, value, style: 'primary' },
          { actionId: DENY_BUTTON_ACTION_ID, label: 'Deny', value, style: 'danger' },
        ],
      },
    );
  }
  if (approvals.length > APPROVALS_SHOWN) blocks.push({ type: 'context', text: `+${approvals.length - APPROVALS_SHOWN} more approval requests waiting.` });
  return blocks;
}

// The approver sees what approving runs; when the incident moved on, also what it would be now.
function renderedRunBlocks(approval: ApprovalView): CardBlock[] {
  if (approval.runs === undefined) {
    return [{ type: 'context', text: `This request was stored without the run it would make: approving it runs nothing. Request ${approval.title} again.` }];
  }
  const inputs = approval.inputs === undefined || approval.inputs.length === 0 ? '' : ` — with ${approval.inputs.join(', ')}`;
  const blocks: CardBlock[] = [{ type: 'list', title: `Approving runs exactly this (rendered when requested${inputs})`, items: approval.runs }];
  if (approval.renderedNow !== undefined) {
    blocks.push(
      { type: 'context', text: 'The incident changed since the request: rendered now, the run would differ (below). Approving runs the version above, never this one.' },
      { type: 'list', title: 'Rendered now (not what approving runs)', items: approval.renderedNow },
    );
  }
  return blocks;
}

function diagnosisBlocks(results: readonly ProbeResult[]): CardBlock[] {
  const latest = selectLatestDiagnosis(results);
  if (latest.length === 0) return [];
  const shown = latest.slice(0, cardCaps.diagnosisResults);
  const items = shown.map((r) => `${r.ok ? '✅' : '❌'} ${r.title}${r.target === undefined ? '' : ` (${r.target})`}: ${r.summary}`);
  const rest = latest.slice(shown.length);
  const blocks: CardBlock[] = [{ type: 'list', title: 'Diagnosis (latest)', items, moreCount: rest.length }];
  if (rest.length > 0) {
    const failed = rest.filter((r) => !r.ok).length;
    blocks.push({ type: 'context', text: `${rest.length} more results not shown: ${rest.length - failed} passed, ${failed} failed.` });
  }
  return blocks;
}

function describeAcknowledgement(incident: Incident): string {
  if (incident.acknowledgedBy === undefined) return 'Not yet';
  const at = incident.acknowledgedAt === undefined ? '' : ` at ${formatUtcTime(incident.acknowledgedAt)}`;
  return `${incident.acknowledgedBy}${at}`;
}

function chooseAccent(incident: Incident): CardAccent {
  if (incident.status === 'resolved') return 'success';
  if (incident.phase === 'closed') return 'neutral';
  if (incident.severity === 'critical') return 'critical';
  if (incident.severity === 'warning') return 'warning';
  return 'info';
}

function summarize(incident: Incident, title: string, instances: string[]): string {
  let counts = `${incident.firing} firing`;
  if (incident.firing === 0) counts = `${incident.resolved} resolved`;
  else if (instances.length > 0) {
    const named = instances.slice(0, cardCaps.summaryInstances).join(', ');
    const more = instances.length - cardCaps.summaryInstances;
    counts += ` on ${named}${more > 0 ? ` +${more} more` : ''}`;
  }
  return truncateText(cleanText(`[${incident.severity}] ${title} — ${counts}`), cardCaps.summaryText);
}

function capList(title: string, items: string[], cap: number): CardBlock {
  return { type: 'list', title, items: items.slice(0, cap), moreCount: Math.max(0, items.length - cap) };
}

function distinctLabel(alerts: readonly Alert[], name: string): string[] {
  const values = new Set<string>();
  for (const alert of alerts) {
    const value = alert.labels[name];
    if (value !== undefined && value !== '') values.add(value);
  }
  return [...values];
}
