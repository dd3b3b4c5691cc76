import { html } from 'ghtml';
import { minutesCell, timeCell } from './format-console-values.js';
import type { MetricsCoverage } from './read-response-metrics.js';
import { RESPONSE_METRICS, type ResponseMetrics } from './summarize-response-metrics.js';

/** When the read stopped at its limit: which weeks are short of incidents. */
function coverageNotice(coverage: MetricsCoverage | undefined): string {
  if (coverage === undefined || coverage.complete) return '';
  return html`<p class="count capped" role="status">These weeks hold more incidents than one request reads (${coverage.read}): the figures cover the newest ${coverage.read}, opened from !${timeCell(coverage.stoppedAt)} on. Incidents opened before then are missing from the figures; choose fewer weeks for complete ones.</p>`;
}

/**
 * The response metrics page: one chart per metric (drawn by `assets/console.js` from
 * `/console/metrics.json` with uPlot) and the same figures as a table, which needs no script; a
 * notice when the read stopped at its limit before the first week's start.
 */
export function renderMetrics(metrics: ResponseMetrics & { coverage?: MetricsCoverage }, weeks: number): string {
  const charts = RESPONSE_METRICS.map(
    (metric) => html`<figure class="chart" data-metric="${metric.id}" data-weeks="${weeks}">
<figcaption id="cap-${metric.id}">${metric.title} (minutes) per week and severity</figcaption>
<div class="chart-canvas" role="img" aria-labelledby="cap-${metric.id}"></div>
</figure>`,
  );
  const rows = metrics.rows.map(
    (row) => html`<tr><td>${new Date(row.week).toISOString().slice(0, 10)}</td><td>${row.severity}</td><td>${row.incidents}</td><td>${minutesCell(row.mtta)}</td><td>${minutesCell(row.mttc)}</td><td>${minutesCell(row.mttr)}</td></tr>`,
  );
  return html`<p>Means over the incidents opened each week (weeks start on Monday, UTC), from the times Warden records: acknowledged, contained (the isolate phase entered, or an isolate-phase action succeeded) and resolved (closed by a responder, else resolved at the source).</p>
!${coverageNotice(metrics.coverage)}
<form class="filters" method="get" action="/console/metrics" aria-label="Choose the weeks">
<div class="field"><label for="f-weeks">Weeks</label><select id="f-weeks" name="weeks">!${[4, 8, 12, 26, 52].map((n) => html`<option value="${n}"!${n === weeks ? ' selected' : ''}>${n}</option>`)}</select></div>
<div class="actions"><button type="submit">Show</button></div>
</form>
<div class="charts">!${charts}</div>
<div class="table-wrap">
<table class="metrics">
<caption>Response times per week and severity</caption>
<thead><tr><th scope="col">Week of</th><th scope="col">Severity</th><th scope="col">Incidents</th><th scope="col">MTTA</th><th scope="col">Time to contain</th><th scope="col">MTTR</th></tr></thead>
<tbody>!${rows.length > 0 ? rows : html`<tr><td colspan="6">No incident opened in these weeks.</td></tr>`}</tbody>
</table>
</div>`;
}
