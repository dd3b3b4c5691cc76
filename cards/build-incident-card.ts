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
import { buildApprovalBlocks, type ApprovalView } from './build-approval-blocks.js';
import { localizeCard } from './localize-card.js';
import type { Translator } from '../src/shared/messages/translator.js';
import type { MessageKey } from '../src/shared/messages/messages.js';

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

/** Buttons per kind on one card; the rest is summarised as "+N more". */
const playbookButtonCaps = { steps: 8, actions: 8 } as const;

/** The incident buttons, in card order. Inbound handlers route on these action ids. */
export const incidentButtons = [
  { actionId: 'incident.acknowledge', label: 'card.incident.button.acknowledge' },
  { actionId: 'incident.isolate', label: 'card.incident.button.isolate' },
  { actionId: 'incident.analyze', label: 'card.incident.button.analyze' },
  { actionId: 'incident.recover', label: 'card.incident.button.recover' },
  { actionId: 'incident.optimize', label: 'card.incident.button.optimize' },
  { actionId: 'incident.resolve', label: 'card.incident.button.resolve' },
] as const satisfies ReadonlyArray<{ actionId: string; label: MessageKey }>;

const stepMarkers: Record<PlaybookStepView['state'], string> = { open: '☐', done: '☑', skipped: '⊘' };

/**
 * Builds the incident card (DESIGN.md §5): severity, alert names, affected instances, counts, who
 * acknowledged, phase, playbook steps, latest diagnosis, links, the incident key and — unless the
 * incident is closed — the six response buttons. In a response phase the playbook's steps of that
 * phase show with their state, each open manual step has a "Done" button, and each of the phase's
 * actions a button labelled with its title (danger when destructive). Long lists end in "+N more".
 */
export function buildIncidentCard(input: IncidentCardInput): Card {
  return localizeCard((t) => buildIncidentCardIn(input, t));
}

function buildIncidentCardIn(input: IncidentCardInput, t: Translator): Card {
  const { incident, alerts } = input;
  const phase = t(`card.phase.${incident.phase}`);
  const sourceResolved = incident.status === 'resolved';
  const closed = incident.phase === 'closed';
  const alertNames = distinctLabel(alerts, 'alertname');
  const instances = distinctLabel(alerts, 'instance');
  const named = incident.title || alertNames.join(', ') || t('card.incident.title.default');
  const title = sourceResolved ? t('card.incident.title.resolved', { title: named }) : named;

  const blocks: CardBlock[] = [
    {
      type: 'fields',
      fields: [
        { label: t('card.incident.field.severity'), value: incident.severity },
        { label: t('card.incident.field.phase'), value: phase },
        { label: t('card.incident.field.alerts'), value: t('card.incident.alertCounts', { firing: incident.firing, resolved: incident.resolved }) },
        { label: t('card.incident.field.acknowledged'), value: describeAcknowledgement(incident, t) },
        ...(incident.lead === undefined ? [] : [{ label: t('card.incident.field.lead'), value: incident.lead, mention: incident.lead }]),
        { label: t('card.incident.field.key'), value: incident.key },
      ],
    },
  ];
  blocks.push(...buildEscalationContext(incident, t));
  if (alertNames.length > 0) blocks.push(capList(t('card.incident.list.alertNames'), alertNames, cardCaps.alertNames));
  if (instances.length > 0) blocks.push(capList(t('card.incident.list.instances'), instances, cardCaps.instances));
  blocks.push(...buildTruncatedAlertsBlocks(incident, t));
  // Steps and actions belong to the response phases: none in triage, none once closed.
  const working = incident.phase !== 'triage' && !closed;
  const steps = input.playbook?.steps ?? input.steps ?? [];
  const playbookTitle = input.playbook === undefined ? '' : ` · ${input.playbook.title}`;
  if (working && steps.length > 0) {
    blocks.push(capList(`${t('card.incident.list.steps', { phase })}${playbookTitle}`, steps.map((step) => describeStep(step, t)), cardCaps.playbookSteps));
    blocks.push(...stepButtons(incident.key, steps, t));
  } else if (input.playbook !== undefined && !closed) {
    const text = working ? t('card.incident.playbook.noSteps', { title: input.playbook.title, phase }) : t('card.incident.playbook.later', { title: input.playbook.title });
    blocks.push({ type: 'context', text });
  }
  blocks.push(...diagnosisBlocks(input.diagnosis, t));
  const links = collectIncidentLinks(incident, alerts, input.linkHosts, t);
  if (links.length > 0) blocks.push({ type: 'links', links });
  if (sourceResolved) {
    const at = formatUtcTime(incident.resolvedAt ?? incident.updatedAt);
    blocks.push({ type: 'context', text: t('card.incident.sourceResolved', { at }) });
  }
  if (closed) blocks.push({ type: 'context', text: t('card.incident.closedAt', { at: formatUtcTime(incident.closedAt ?? incident.updatedAt) }) });
  blocks.push({ type: 'context', text: t('card.incident.keyHint', { key: incident.key }) });
  const warRoom = buildWarRoomBlocks(incident, t);
  blocks.push(...warRoom.status);
  if (!closed) {
    const silence = buildSilenceBlocks(incident, t);
    blocks.push(...silence.status);
    if (silence.links.length > 0) blocks.push({ type: 'links', links: silence.links });
    blocks.push({ type: 'divider' });
    blocks.push(...buildApprovalBlocks(incident.key, input.approvals ?? [], t));
    if (working) blocks.push(...actionButtons(incident, input.actions ?? [], t));
    if (incident.phase === 'optimize') blocks.push(...lessonsBlocks(incident.key, t));
    blocks.push({ type: 'actions', buttons: [...buildButtons(incident, t), silence.button, ...(warRoom.button ? [warRoom.button] : [])] });
  }

  return { title, accent: chooseAccent(incident), summary: summarize(incident, title, instances, t), blocks };
}

/** Action id of the optimize phase's "Postmortem draft" button (value `{"k":"<key>"}`). */
export const POSTMORTEM_BUTTON_ACTION_ID = 'incident.postmortem';

// Optimize is the post-incident phase: lessons learned go on the timeline, then into the draft.
function lessonsBlocks(key: string, t: Translator): CardBlock[] {
  return [
    { type: 'context', text: t('card.incident.lessons', { key }) },
    { type: 'actions', buttons: [{ actionId: POSTMORTEM_BUTTON_ACTION_ID, label: t('card.incident.button.postmortem'), value: JSON.stringify({ k: key }) }] },
  ];
}

function buildButtons(incident: Incident, t: Translator): CardButton[] {
  const value = JSON.stringify({ k: incident.key });
  return incidentButtons.map(({ actionId, label }) => {
    const button: CardButton = { actionId, label: t(label), value };
    if (actionId === 'incident.acknowledge' && incident.acknowledgedBy === undefined) button.style = 'primary';
    return button;
  });
}

function describeStep(step: PlaybookStepView, t: Translator): string {
  let text = `${stepMarkers[step.state]} ${step.title}`;
  if (step.action !== undefined) text += t('card.incident.step.action', { action: step.action });
  if (step.state === 'skipped') text += t('card.incident.step.skipped');
  if (step.state !== 'open' && step.by !== undefined) text += ` — ${step.by}${step.at === undefined ? '' : `, ${formatUtcTime(step.at)}`}`;
  if (step.state === 'open' && step.guidance !== undefined && step.guidance !== '') text += ` — ${step.guidance}`;
  return text;
}

// Slack wants action ids unique within one actions block, so buttons sharing an action id
// (every "Done", every action) each get a block of their own.
function stepButtons(key: string, steps: readonly PlaybookStepView[], t: Translator): CardBlock[] {
  const open = steps.filter((step) => step.state === 'open' && step.id !== undefined && step.action === undefined);
  const shown = open.slice(0, playbookButtonCaps.steps);
  const blocks: CardBlock[] = shown.map((step) => ({
    type: 'actions',
    buttons: [{ actionId: STEP_BUTTON_ACTION_ID, label: t('card.incident.button.stepDone', { title: step.title }), value: JSON.stringify({ k: key, s: step.id }) }],
  }));
  const more = open.length - shown.length;
  if (more > 0) blocks.push({ type: 'context', text: t('card.incident.moreSteps', { count: more }) });
  return blocks;
}

function actionButtons(incident: Incident, actions: readonly PlaybookActionView[], t: Translator): CardBlock[] {
  if (actions.length === 0) return [];
  const shown = actions.slice(0, playbookButtonCaps.actions);
  const more = actions.length - shown.length;
  const phase = t(`card.phase.${incident.phase}`);
  const blocks: CardBlock[] = [{ type: 'context', text: more > 0 ? t('card.incident.actionsMore', { phase, more }) : t('card.incident.actions', { phase }) }];
  for (const action of shown) {
    const button: CardButton = { actionId: ACTION_BUTTON_ACTION_ID, label: action.title, value: JSON.stringify({ k: incident.key, a: action.id }) };
    if (action.destructive) button.style = 'danger';
    blocks.push({ type: 'actions', buttons: [button] });
  }
  return blocks;
}

function diagnosisBlocks(results: readonly ProbeResult[], t: Translator): CardBlock[] {
  const latest = selectLatestDiagnosis(results);
  if (latest.length === 0) return [];
  const shown = latest.slice(0, cardCaps.diagnosisResults);
  const items = shown.map((r) => `${r.ok ? '✅' : '❌'} ${r.title}${r.target === undefined ? '' : ` (${r.target})`}: ${r.summary}`);
  const rest = latest.slice(shown.length);
  const blocks: CardBlock[] = [{ type: 'list', title: t('card.incident.list.diagnosis'), items, moreCount: rest.length }];
  if (rest.length > 0) {
    const failed = rest.filter((r) => !r.ok).length;
    blocks.push({ type: 'context', text: t('card.incident.moreResults', { count: rest.length, passed: rest.length - failed, failed }) });
  }
  return blocks;
}

function describeAcknowledgement(incident: Incident, t: Translator): string {
  if (incident.acknowledgedBy === undefined) return t('card.incident.notAcknowledged');
  if (incident.acknowledgedAt === undefined) return incident.acknowledgedBy;
  return t('card.incident.acknowledgedAt', { who: incident.acknowledgedBy, at: formatUtcTime(incident.acknowledgedAt) });
}

function chooseAccent(incident: Incident): CardAccent {
  if (incident.status === 'resolved') return 'success';
  if (incident.phase === 'closed') return 'neutral';
  if (incident.severity === 'critical') return 'critical';
  if (incident.severity === 'warning') return 'warning';
  return 'info';
}

function summarize(incident: Incident, title: string, instances: string[], t: Translator): string {
  let counts = t('card.incident.summary.firing', { count: incident.firing });
  if (incident.firing === 0) counts = t('card.incident.summary.resolved', { count: incident.resolved });
  else if (instances.length > 0) {
    const named = instances.slice(0, cardCaps.summaryInstances).join(', ');
    const more = instances.length - cardCaps.summaryInstances;
    counts = t('card.incident.summary.on', { counts, instances: `${named}${more > 0 ? t('card.incident.summary.more', { count: more }) : ''}` });
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
