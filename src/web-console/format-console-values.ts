import { html } from 'ghtml';
import { formatUtcTime } from '../shared/format-utc-time.js';

/** A time for a table cell: `<time datetime="…">2026-11-20 10:05 UTC</time>`, or an em dash. */
export function timeCell(at: number | undefined): string {
  if (at === undefined || !Number.isFinite(at)) return html`<span class="none">—</span>`;
  return html`<time datetime="${new Date(at).toISOString()}">${formatUtcTime(at)}</time>`;
}

/** A span of time the way responders say it: `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`. */
export function formatSpan(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 === 0 ? '' : ` ${minutes % 60} min`}`;
  return `${Math.floor(hours / 24)} d${hours % 24 === 0 ? '' : ` ${hours % 24} h`}`;
}

/** Minutes (a mean) as a span, or an em dash. */
export function minutesCell(minutes: number | null): string {
  return minutes === null ? '—' : formatSpan(minutes * 60_000);
}

const SEVERITY_CLASSES = new Set(['critical', 'high', 'major', 'error', 'page', 'warning', 'medium', 'minor', 'low', 'info']);

/** A severity badge; the colour class only for known severities, the text always. */
export function severityBadge(severity: string): string {
  const known = SEVERITY_CLASSES.has(severity.toLowerCase()) ? severity.toLowerCase() : 'other';
  return html`<span class="badge severity-${known}">${severity}</span>`;
}

/** A phase badge (triage, analyze, …, closed). */
export function phaseBadge(phase: string): string {
  return html`<span class="badge phase-${/^[a-z-]{1,20}$/.test(phase) ? phase : 'other'}">${phase}</span>`;
}
