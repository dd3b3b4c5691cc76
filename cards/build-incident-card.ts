import type { ProbeResult } from '../src/actions/probe-result.js';
import type { Alert, Incident } from '../src/incidents/incident.js';
import type { Card, CardAccent, CardBlock, CardButton } from './card.js';
import { cardCaps } from './card-limits.js';
import { cleanText } from './clean-text.js';
import { collectIncidentLinks } from './collect-incident-links.js';
import { truncateText } from './fit-text.js';
import { formatUtcTime } from './format-utc-time.js';
import { selectLatestDiagnosis } from './select-latest-diagnosis.js';

/** One playbook step of the incident's current phase, as the card shows it. */
export interface PlaybookStepView {
  title: string;
  state: 'open' | 'done' | 'skipped';
}

/** Everything an incident card shows. */
export interface IncidentCardInput {
  incident: Incident;
  /** The incident's alerts (firing and resolved). */
  alerts: Alert[];
  /** Probe results so far; the card keeps the latest per action and target. */
  diagnosis: ProbeResult[];
  /** The current phase's playbook steps, when a playbook applies. */
  steps?: PlaybookStepView[];
}

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
 * incident is closed — the six response buttons. Long lists end in "+N more".
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
        { label: 'Key', value: incident.key },
      ],
    },
  ];
  if (alertNames.length > 0) blocks.push(capList('Alert names', alertNames, cardCaps.alertNames));
  if (instances.length > 0) blocks.push(capList('Instances', instances, cardCaps.instances));
  if (input.steps !== undefined && input.steps.length > 0) {
    const steps = input.steps.map((step) => `${stepMarkers[step.state]} ${step.title}${step.state === 'skipped' ? ' (skipped)' : ''}`);
    blocks.push(capList(`Playbook steps — ${incident.phase}`, steps, cardCaps.playbookSteps));
  }
  blocks.push(...diagnosisBlocks(input.diagnosis));
  const links = collectIncidentLinks(incident, alerts);
  if (links.length > 0) blocks.push({ type: 'links', links });
  if (sourceResolved) {
    const at = formatUtcTime(incident.resolvedAt ?? incident.updatedAt);
    blocks.push({ type: 'context', text: `The source resolved this incident at ${at}. Responders still close it with Resolve.` });
  }
  if (closed) blocks.push({ type: 'context', text: `Closed at ${formatUtcTime(incident.closedAt ?? incident.updatedAt)}.` });
  blocks.push({ type: 'context', text: `Incident key: ${incident.key} · show it anywhere with /incident show ${incident.key}` });
  if (!closed) blocks.push({ type: 'divider' }, { type: 'actions', buttons: buildButtons(incident) });

  return { title, accent: chooseAccent(incident), summary: summarize(incident, title, instances), blocks };
}

function buildButtons(incident: Incident): CardButton[] {
  const value = JSON.stringify({ k: incident.key });
  return incidentButtons.map(({ actionId, label }) => {
    const button: CardButton = { actionId, label, value };
    if (actionId === 'incident.acknowledge' && incident.acknowledgedBy === undefined) button.style = 'primary';
    return button;
  });
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
