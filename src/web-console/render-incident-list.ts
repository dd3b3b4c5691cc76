import { html } from 'ghtml';
import type { Incident } from '../model/incident.js';
import type { IncidentFilters } from './filter-incidents.js';
import { phaseBadge, severityBadge, timeCell } from './format-console-values.js';

/** What the list page shows. */
export interface IncidentListView {
  filters: IncidentFilters;
  /** The matching incidents, newest first (at most {@link shown}). */
  incidents: readonly Incident[];
  /** How many matched in all. */
  matched: number;
  /** How many incidents of the time window were read. */
  read: number;
  severities: readonly string[];
  routes: readonly string[];
  routeOf: (incident: Incident) => string;
}

const STATUS_CHOICES = [
  ['', 'Any'],
  ['open', 'Open (not closed)'],
  ['closed', 'Closed'],
  ['firing', 'Firing at the source'],
  ['resolved', 'Resolved at the source'],
] as const;

function options(choices: readonly (readonly [string, string])[], selected: string | undefined): string[] {
  return choices.map(([value, label]) => html`<option value="${value}"!${value === (selected ?? '') ? ' selected' : ''}>${label}</option>`);
}

/** The incident list: a GET form of filters (works without JavaScript) and a table of the matches. */
export function renderIncidentList(view: IncidentListView): string {
  const { filters } = view;
  const severityChoices: [string, string][] = [['', 'Any'], ...view.severities.map((s): [string, string] => [s, s])];
  const routeChoices: [string, string][] = [['', 'Any'], ...view.routes.map((r): [string, string] => [r, r]), ['none', 'none (no route matches)']];
  const rows = view.incidents.map(
    (incident) => html`<tr>
<td><a href="/console/incidents/${encodeURIComponent(incident.key)}">${incident.key}</a></td>
<td>${incident.title}</td>
<td>!${severityBadge(incident.severity)}</td>
<td>!${phaseBadge(incident.phase)} <span class="source-status">${incident.status}</span></td>
<td>${view.routeOf(incident)}</td>
<td>!${timeCell(incident.openedAt)}</td>
<td>!${timeCell(incident.acknowledgedAt)}${incident.acknowledgedBy ? ` ${incident.acknowledgedBy}` : ''}</td>
<td>!${timeCell(incident.closedAt)}</td>
</tr>`,
  );
  const summary =
    view.matched > view.incidents.length
      ? html`<p class="count" role="status">${view.matched} incidents match; the newest ${view.incidents.length} are shown. Narrow the filters to see older ones.</p>`
      : html`<p class="count" role="status">${view.matched} ${view.matched === 1 ? 'incident matches' : 'incidents match'}.</p>`;
  return html`<form class="filters" method="get" action="/console/incidents" role="search" aria-label="Filter incidents">
<div class="field"><label for="f-q">Key or title</label><input id="f-q" name="q" type="search" value="${filters.q ?? ''}" maxlength="100"></div>
<div class="field"><label for="f-status">Status</label><select id="f-status" name="status">!${options(STATUS_CHOICES, filters.status)}</select></div>
<div class="field"><label for="f-severity">Severity</label><select id="f-severity" name="severity">!${options(severityChoices, filters.severity)}</select></div>
<div class="field"><label for="f-route">Route</label><select id="f-route" name="route">!${options(routeChoices, filters.route)}</select></div>
<div class="field"><label for="f-since">Opened from</label><input id="f-since" name="since" type="date" value="${filters.since ?? ''}"></div>
<div class="field"><label for="f-until">Opened until</label><input id="f-until" name="until" type="date" value="${filters.until ?? ''}"></div>
<div class="actions"><button type="submit">Filter</button> <a href="/console/incidents">Clear</a></div>
</form>
!${summary}
<div class="table-wrap">
<table class="incidents">
<caption>Incidents, newest first</caption>
<thead><tr><th scope="col">Key</th><th scope="col">Title</th><th scope="col">Severity</th><th scope="col">Phase and source</th><th scope="col">Route</th><th scope="col">Opened</th><th scope="col">Acknowledged</th><th scope="col">Closed</th></tr></thead>
<tbody>!${rows.length > 0 ? rows : html`<tr><td colspan="8">No incident matches these filters.</td></tr>`}</tbody>
</table>
</div>`;
}
