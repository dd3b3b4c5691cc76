import { html } from 'ghtml';
import type { Incident } from '../model/incident.js';
import type { IncidentFilters } from './filter-incidents.js';
import { phaseBadge, severityBadge, timeCell } from './format-console-values.js';
import { formatListCursor } from './parse-list-cursor.js';
import type { IncidentListScan } from './scan-incident-list.js';

/** What the list page shows. */
export interface IncidentListView {
  filters: IncidentFilters;
  /** This page of matches and what its read saw (see `scanIncidentList`). */
  scan: Pick<IncidentListScan, 'incidents' | 'matched' | 'complete' | 'read' | 'stoppedAt' | 'next'>;
  /** This page continues an earlier one (it has a cursor). */
  continued: boolean;
  /** Matches per page: a page of fewer was cut short by the read limit or the end of the window. */
  pageSize: number;
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

/** The list's address with `filters` and, for a later page, `after`. */
function listHref(filters: IncidentFilters, after?: string): string {
  const query = new URLSearchParams(Object.entries({ ...filters, ...(after ? { after } : {}) }).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  const text = query.toString();
  return text === '' ? '/console/incidents' : `/console/incidents?${text}`;
}

const plural = (n: number) => (n === 1 ? 'incident matches' : 'incidents match');

/** How many match, said as exactly as the read allows. */
function countSummary(view: IncidentListView): string {
  const { scan } = view;
  const from = view.continued ? ' older than the previous page' : '';
  const shown = scan.incidents.length;
  if (scan.complete) {
    const rest = scan.matched > shown ? `; the newest ${shown} are shown, the next page has the rest` : '';
    return html`<p class="count" role="status">${scan.matched} ${plural(scan.matched)}${from}${rest}.</p>`;
  }
  // The read stopped at its limit: the count is a lower bound, and the page says where the read ended.
  const stopped = html`this request stopped at its limit of ${scan.read} incidents read, at those opened !${timeCell(scan.stoppedAt)}`;
  const next = shown === view.pageSize ? 'The next page starts after the last one shown.' : 'The next page goes on from where it stopped.';
  if (scan.matched === 0) return html`<p class="count capped" role="status">No incident matches${from} so far: !${stopped}. ${next}</p>`;
  return html`<p class="count capped" role="status">At least ${scan.matched} ${plural(scan.matched)}${from}: !${stopped}; ${shown} ${shown === 1 ? 'is' : 'are'} shown. ${next}</p>`;
}

/**
 * The incident list: a GET form of filters and a table of one page of matches, with links to the
 * next (older) page and back to the newest (all of it works without JavaScript).
 */
export function renderIncidentList(view: IncidentListView): string {
  const { filters, scan } = view;
  const severityChoices: [string, string][] = [['', 'Any'], ...view.severities.map((s): [string, string] => [s, s])];
  const routeChoices: [string, string][] = [['', 'Any'], ...view.routes.map((r): [string, string] => [r, r]), ['none', 'none (no route matches)']];
  const rows = scan.incidents.map(
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
  const links = [
    ...(view.continued ? [html`<a href="${listHref(filters)}">Newest incidents</a>`] : []),
    ...(scan.next ? [html`<a href="${listHref(filters, formatListCursor(scan.next))}" rel="next">Older incidents</a>`] : []),
  ];
  const pager = links.length > 0 ? html`<nav class="pager" aria-label="Pages of incidents"><ul>!${links.map((link) => `<li>${link}</li>`)}</ul></nav>` : '';
  return html`<form class="filters" method="get" action="/console/incidents" role="search" aria-label="Filter incidents">
<div class="field"><label for="f-q">Key or title</label><input id="f-q" name="q" type="search" value="${filters.q ?? ''}" maxlength="100"></div>
<div class="field"><label for="f-status">Status</label><select id="f-status" name="status">!${options(STATUS_CHOICES, filters.status)}</select></div>
<div class="field"><label for="f-severity">Severity</label><select id="f-severity" name="severity">!${options(severityChoices, filters.severity)}</select></div>
<div class="field"><label for="f-route">Route</label><select id="f-route" name="route">!${options(routeChoices, filters.route)}</select></div>
<div class="field"><label for="f-since">Opened from</label><input id="f-since" name="since" type="date" value="${filters.since ?? ''}"></div>
<div class="field"><label for="f-until">Opened until</label><input id="f-until" name="until" type="date" value="${filters.until ?? ''}"></div>
<div class="actions"><button type="submit">Filter</button> <a href="/console/incidents">Clear</a></div>
</form>
!${countSummary(view)}
<div class="table-wrap">
<table class="incidents">
<caption>Incidents, newest first</caption>
<thead><tr><th scope="col">Key</th><th scope="col">Title</th><th scope="col">Severity</th><th scope="col">Phase and source</th><th scope="col">Route</th><th scope="col">Opened</th><th scope="col">Acknowledged</th><th scope="col">Closed</th></tr></thead>
<tbody>!${rows.length > 0 ? rows : html`<tr><td colspan="8">No incident matches these filters.</td></tr>`}</tbody>
</table>
</div>
!${pager}`;
}
