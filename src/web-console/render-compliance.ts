import { html } from 'ghtml';
import { formatZonedTime } from '../shared/format-zoned-time.js';
import { timeCell } from './format-console-values.js';
import type { CalendarEntry, ChecklistCompliance, RunStanding } from './summarize-compliance.js';

/** How each standing reads (the calendar never relies on colour alone). */
export const STANDING_LABELS: Record<RunStanding, string> = {
  'on-time': 'done on time',
  late: 'done late',
  overdue: 'overdue',
  open: 'open',
  missed: 'missed',
};

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function entryBadge(entry: CalendarEntry, timeZone: string): string {
  const label = STANDING_LABELS[entry.standing];
  const counts = entry.counts ? `: ${entry.counts.passed} passed, ${entry.counts.skipped} N/A, ${entry.counts.failed} failed, ${entry.counts.open} open` : '';
  const title = `${entry.runId ?? 'schedule slot'} — ${label} (${formatZonedTime(entry.at, timeZone)})${counts}`;
  return html`<li class="run run-${entry.standing}" title="${title}"><span class="run-label">${label}</span>!${entry.counts && entry.counts.failed > 0 ? html` <span class="run-failed">${entry.counts.failed} failed</span>` : ''}</li>`;
}

function renderChecklist(compliance: ChecklistCompliance): string {
  const weeks = compliance.weeks.map(
    (week) => html`<tr><th scope="row">Week of ${week[0]!.day}</th>!${week.map(
      (day) => html`<td class="${day.future ? 'day future' : 'day'}"><span class="day-number">${day.day.slice(5)}</span>!${day.entries.length > 0 ? html`<ul class="runs">!${day.entries.map((entry) => entryBadge(entry, compliance.timeZone))}</ul>` : ''}</td>`,
    )}</tr>`,
  );
  const totals = (Object.keys(STANDING_LABELS) as RunStanding[]).map((standing) => html`<li class="run run-${standing}"><span class="run-label">${STANDING_LABELS[standing]}</span>: ${compliance.totals[standing]}</li>`);
  const failures = compliance.failures.map(
    (failure) => html`<tr><td><code>${failure.runId}</code></td><td>${failure.title} <code>${failure.itemId}</code></td><td class="wrap">${failure.evidence ?? ''}</td><td>!${timeCell(failure.at)}</td><td>${failure.open ? 'run still open' : 'run completed'}</td></tr>`,
  );
  return html`<section class="checklist" aria-labelledby="h-${compliance.checklistId}" data-checklist="${compliance.checklistId}">
<h2 id="h-${compliance.checklistId}">${compliance.title} <code>${compliance.checklistId}</code></h2>
<ul class="totals" aria-label="Runs in these weeks">!${totals}</ul>
<div class="table-wrap">
<table class="calendar">
<caption>Runs of ${compliance.checklistId} by the day they started (${compliance.timeZone})</caption>
<thead><tr><th scope="col">Week</th>!${WEEKDAYS.map((day) => html`<th scope="col">${day}</th>`)}</tr></thead>
<tbody>!${weeks}</tbody>
</table>
</div>
<table class="failures">
<caption>Item failures in these runs</caption>
<thead><tr><th scope="col">Run</th><th scope="col">Item</th><th scope="col">Evidence</th><th scope="col">When</th><th scope="col">Run</th></tr></thead>
<tbody>!${failures.length > 0 ? failures : html`<tr><td colspan="5">No item failed.</td></tr>`}</tbody>
</table>
</section>`;
}

/** The compliance page: one calendar per checklist, with the legend and the item failures; its days are those of `timeZone`. */
export function renderCompliance(checklists: readonly ChecklistCompliance[], weeks: number, timeZone: string): string {
  return html`<form class="filters" method="get" action="/console/checklists" aria-label="Choose the weeks">
<div class="field"><label for="f-weeks">Weeks</label><select id="f-weeks" name="weeks">!${[4, 8, 12, 26, 52].map((n) => html`<option value="${n}"!${n === weeks ? ' selected' : ''}>${n}</option>`)}</select></div>
<div class="actions"><button type="submit">Show</button></div>
</form>
<p class="time-zone">Days are those of <strong>${timeZone}</strong>, the checklists' time zone (<code>checklists.timezone</code>): weeks start on its Monday, and a run counts on the date its clocks showed when it started.</p>
<p>Each checklist's runs over the last ${weeks} weeks, by the day they started: <em>done on time</em> (completed by its due time), <em>done late</em>, <em>overdue</em> (open past its due time), <em>open</em>, and <em>missed</em> schedule slots that got no run.</p>
!${checklists.map(renderChecklist)}`;
}
