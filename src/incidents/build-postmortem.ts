import type { ProbeResult } from '../model/probe-result.js';
import type { Incident, TimelineEntry } from '../model/incident.js';
import { formatUtcSeconds } from '../shared/format-utc-time.js';

/** What a postmortem draft is built from. */
export interface PostmortemInput {
  incident: Incident;
  /** The incident's timeline, oldest first (as the store returns it). */
  timeline: readonly TimelineEntry[];
  /** The latest diagnosis result per action and target. */
  diagnosis?: readonly ProbeResult[];
  /** When the draft is made (epoch ms): stated in it, and the end of an open incident's duration. */
  generatedAt?: number;
  /** Timeline entries shown before the middle is left out (the first and last halves); default 150. */
  maxTimelineEntries?: number;
}

/** Timeline kinds listed under "Actions and results" (`step` once playbook steps are recorded). */
const ACTION_KINDS: ReadonlySet<string> = new Set(['action', 'diagnosis', 'phase', 'step']);

/** `1h 23m 5s`, `2d 3h 10m`, `35s`: a duration as people read it. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days}d`);
  if (hours > 0) parts.push(`${hours}h`);
  if (minutes > 0) parts.push(`${minutes}m`);
  if (days === 0 && (seconds > 0 || parts.length === 0)) parts.push(`${seconds}s`);
  return parts.join(' ');
}

// Alert labels and notes are not markdown: the characters that would format, link or inject HTML are
// escaped, so the draft shows them as typed wherever it is pasted.
function inline(text: string): string {
  return text
    .replace(/\r\n|\r|\n|\u2028|\u2029/g, ' ')
    .replace(/[\\`*_[\]<>|]/g, (char) => `\\${char}`);
}

/** Each line of a multi-line text escaped, continuation lines indented to stay in their list item. */
function multiline(text: string): string {
  return text
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    // A continuation line must not start a heading, quote or list of its own.
    .map((line) => inline(line.trim()).replace(/^([#>+-]|\d+[.)])/, '\\$1'))
    .join('\n  ');
}

function time(entry: TimelineEntry): string {
  return formatUtcSeconds(entry.at).replace(' UTC', '');
}

function entryLine(entry: TimelineEntry): string {
  const actor = entry.actor && !entry.text.includes(entry.actor) ? ` (${entry.actor})` : '';
  const chars = Array.from(entry.text);
  const text = chars.length > 300 ? `${chars.slice(0, 299).join('')}…` : entry.text;
  return `- ${time(entry)} · ${entry.kind} · ${inline(text)}${inline(actor)}`;
}

/** The phases in the order they were entered, starting with `triage`. */
function phasesVisited(incident: Incident, timeline: readonly TimelineEntry[]): string[] {
  const phases: string[] = ['triage'];
  const enter = (phase: string) => {
    if (phases[phases.length - 1] !== phase) phases.push(phase);
  };
  for (const entry of timeline) {
    const to = entry.data?.['to'];
    if (entry.kind === 'phase' && typeof to === 'string') enter(to);
    else if (entry.kind === 'closed') enter('closed');
  }
  enter(incident.phase);
  return phases;
}

function row(label: string, value: string): string {
  return `| ${label} | ${inline(value)} |`;
}

function summaryTable(incident: Incident, timeline: readonly TimelineEntry[], generatedAt: number | undefined): string[] {
  const { openedAt, acknowledgedAt, acknowledgedBy, resolvedAt, closedAt, closedBy } = incident;
  const acknowledged = acknowledgedAt !== undefined ? `${formatUtcSeconds(acknowledgedAt)} by ${acknowledgedBy ?? 'someone'}` : 'not acknowledged';
  const closed = closedAt !== undefined ? `${formatUtcSeconds(closedAt)}${closedBy ? ` by ${closedBy}` : ''}` : `not closed (phase ${incident.phase})`;
  const end = closedAt ?? generatedAt;
  const duration = end === undefined ? 'still open' : `${formatDuration(end - openedAt)}${closedAt === undefined ? ' so far (still open)' : ''}`;
  return [
    '| Field | Value |',
    '|---|---|',
    row('Incident', incident.key),
    row('Severity', incident.severity),
    row('Status', `${incident.phase} (source: ${incident.status})`),
    row('Alerts', `${incident.firing} firing, ${incident.resolved} resolved`),
    row('Opened', formatUtcSeconds(openedAt)),
    row('Acknowledged', acknowledged),
    row('Time to acknowledge', acknowledgedAt !== undefined ? formatDuration(acknowledgedAt - openedAt) : '—'),
    row('Time to contain', incident.containedAt !== undefined ? formatDuration(incident.containedAt - openedAt) : '—'),
    row('Lead', incident.lead ?? '—'),
    row('Resolved at the source', resolvedAt !== undefined ? formatUtcSeconds(resolvedAt) : '—'),
    row('Closed', closed),
    row('Duration', duration),
    row('Phases visited', phasesVisited(incident, timeline).join(' → ')),
    row('Playbook', incident.playbook),
  ];
}

function timelineSection(timeline: readonly TimelineEntry[], max: number): string[] {
  if (timeline.length === 0) return ['_The timeline is empty._'];
  if (timeline.length <= max) return timeline.map(entryLine);
  const head = Math.ceil(max / 2);
  const tail = max - head;
  return [
    ...timeline.slice(0, head).map(entryLine),
    `- … ${timeline.length - head - tail} entries left out (see /incident timeline) …`,
    ...timeline.slice(timeline.length - tail).map(entryLine),
  ];
}

function actionsSection(timeline: readonly TimelineEntry[], diagnosis: readonly ProbeResult[]): string[] {
  const actions = timeline.filter((entry) => ACTION_KINDS.has(entry.kind));
  const lines = actions.length > 0 ? actions.map(entryLine) : ['_No actions, phase moves or diagnosis recorded._'];
  if (diagnosis.length > 0) {
    lines.push('', '**Latest diagnosis**', '');
    for (const result of [...diagnosis].sort((a, b) => a.title.localeCompare(b.title))) {
      const target = result.target ? ` (${result.target})` : '';
      lines.push(`- ${result.ok ? 'OK' : 'FAILED'} · ${inline(result.title + target)}: ${inline(result.summary)} — ${formatUtcSeconds(result.at)}`);
    }
  }
  return lines;
}

function findingsSection(incident: Incident, notes: readonly TimelineEntry[]): string[] {
  if (notes.length === 0) return [`_No notes yet: add findings and lessons learned with /incident note ${incident.key} <text>._`];
  return notes.map((note) => `- ${multiline(note.text)}\n  — ${inline(note.actor ?? 'unknown')}, ${formatUtcSeconds(note.at)}`);
}

/**
 * A markdown postmortem draft for the optimize phase: title, a summary table (severity, times,
 * time to acknowledge, duration, phases visited), the timeline in UTC, the actions and their
 * results, the findings and lessons learned (the incident's notes) and an empty follow-up
 * checklist. Pure: the same input gives the same text. Alert labels and notes are escaped so they
 * show as typed and cannot change the document's structure.
 */
export function buildPostmortem(input: PostmortemInput): string {
  const { incident, generatedAt } = input;
  // Probe results are recorded with the time they finished, which can be before entries appended earlier.
  const timeline = [...input.timeline].sort((a, b) => a.at - b.at);
  const notes = timeline.filter((entry) => entry.kind === 'note');
  const lines = [
    `# Postmortem draft: ${inline(incident.title)} (${incident.key})`,
    '',
    generatedAt === undefined ? '_Draft generated by Warden; edit it before sharing._' : `_Draft generated by Warden at ${formatUtcSeconds(generatedAt)}; edit it before sharing._`,
    '',
    '## Summary',
    '',
    ...summaryTable(incident, timeline, generatedAt),
    '',
    '## Timeline (UTC)',
    '',
    ...timelineSection(timeline, input.maxTimelineEntries ?? 150),
    '',
    '## Actions and results',
    '',
    ...actionsSection(timeline, input.diagnosis ?? []),
    '',
    '## Findings and lessons learned',
    '',
    ...findingsSection(incident, notes),
    '',
    '## Follow-ups',
    '',
    '- [ ] ',
    '- [ ] ',
    '- [ ] ',
    '',
  ];
  return lines.join('\n');
}
