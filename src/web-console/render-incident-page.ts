import { html } from 'ghtml';
import { toSafeUrl } from '../../cards/safe-url.js';
import type { TimelineEntry } from '../model/incident.js';
import { formatSpan, phaseBadge, severityBadge, timeCell } from './format-console-values.js';
import type { IncidentPage } from './read-incident-page.js';

function row(label: string, value: string): string {
  return html`<tr><th scope="row">${label}</th><td>!${value}</td></tr>`;
}

function text(value: string | undefined): string {
  return value === undefined || value === '' ? html`<span class="none">—</span>` : html`${value}`;
}

function since(openedAt: number, at: number | undefined): string {
  return at === undefined ? '' : html` <span class="span">(${formatSpan(at - openedAt)} after opening)</span>`;
}

/** An alert's source link when the card would show it (an allowed host), else its URL as text. */
function sourceLink(page: IncidentPage, url: string | undefined): string {
  const allowed = page.links.find((link) => link.url === toSafeUrl(url));
  return allowed ? html`<a href="${allowed.url}" rel="noopener noreferrer">source</a>` : text(url);
}

/** A link to a URL Warden itself recorded (a war room's): only http(s), shown as text otherwise. */
function safeLink(url: string | undefined, label: string): string {
  if (url === undefined || !/^https?:\/\//i.test(url)) return text(url);
  return html`<a href="${url}" rel="noopener noreferrer">${label}</a>`;
}

function timelineTable(caption: string, entries: readonly TimelineEntry[], empty: string): string {
  const rows = entries.map((entry) => html`<tr><td>!${timeCell(entry.at)}</td><td>${entry.kind}</td><td>${entry.actor ?? ''}</td><td class="wrap">${entry.text}</td></tr>`);
  return html`<table>
<caption>${caption}</caption>
<thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Who</th><th scope="col">Record</th></tr></thead>
<tbody>!${rows.length > 0 ? rows : html`<tr><td colspan="4">${empty}</td></tr>`}</tbody>
</table>`;
}

/** The incident page: summary and card state, alerts, diagnosis, actions and approvals, silences, chat links, the timeline. */
export function renderIncidentPage(page: IncidentPage): string {
  const { incident } = page;
  const summary = html`<table class="facts">
<caption>Summary</caption>
<tbody>
!${row('Key', html`<code>${incident.key}</code>`)}
!${row('Severity', severityBadge(incident.severity))}
!${row('Phase', phaseBadge(incident.phase))}
!${row('At the source', html`${incident.status} (${incident.firing} firing, ${incident.resolved} resolved)`)}
!${row('Route', text(page.route))}
!${row('Opened', timeCell(incident.openedAt))}
!${row('Acknowledged', html`!${timeCell(incident.acknowledgedAt)}!${since(incident.openedAt, incident.acknowledgedAt)}${incident.acknowledgedBy ? ` by ${incident.acknowledgedBy}` : ''}`)}
!${row('Contained', html`!${timeCell(incident.containedAt)}!${since(incident.openedAt, incident.containedAt)}`)}
!${row('Resolved at the source', html`!${timeCell(incident.resolvedAt)}!${since(incident.openedAt, incident.resolvedAt)}`)}
!${row('Closed', html`!${timeCell(incident.closedAt)}!${since(incident.openedAt, incident.closedAt)}${incident.closedBy ? ` by ${incident.closedBy}` : ''}`)}
!${row('Lead', text(incident.lead))}
!${row('Last status update', timeCell(incident.lastUpdateAt))}
!${row('Card version', html`${incident.version}`)}
!${row('Playbook', text(incident.playbook))}
!${row('Links', page.links.length > 0 ? html`<ul class="links">!${page.links.map((link) => html`<li><a href="${link.url}" rel="noopener noreferrer">${link.label}</a></li>`)}</ul>` : text(undefined))}
</tbody>
</table>`;

  const cards = page.cards.map(
    (card) => html`<tr><td>${card.destination}</td><td>!${card.id ? html`<code>${card.id}</code>` : html`<span class="none">being posted</span>`}</td><td>${card.rendered ?? '—'}</td><td>!${card.url ? html`<a href="${card.url}" rel="noopener noreferrer">Open in chat</a>` : html`<span class="none">no link</span>`}</td></tr>`,
  );
  const warRoom = incident.warRoom
    ? html`<p>War room: <strong>${incident.warRoom.name}</strong> (${incident.warRoom.destination}) !${incident.warRoom.url ? safeLink(incident.warRoom.url, 'open the room') : ''}</p>`
    : '';

  const alerts = page.alerts.map(
    (alert) => html`<tr><td>${alert.status}</td><td>${alert.labels.alertname ?? ''}</td><td>${alert.labels.instance ?? ''}</td><td class="wrap">${alert.annotations.summary ?? alert.annotations.description ?? ''}</td><td>!${timeCell(Date.parse(alert.startsAt))}</td><td>!${sourceLink(page, alert.generatorURL)}</td></tr>`,
  );
  const diagnosis = page.diagnosis.map(
    (result) => html`<tr><td>${result.title}</td><td>${result.target ?? ''}</td><td>${result.ok ? 'ok' : 'failed'}</td><td class="wrap">${result.summary}</td><td>!${timeCell(result.at)}</td></tr>`,
  );
  const approvals = page.approvals.map(
    (request) => html`<tr><td>${request.title}</td><td>${request.requestedBy}</td><td>!${timeCell(request.requestedAt)}</td><td>${request.state}</td><td>${request.decidedBy ?? ''}</td><td>!${timeCell(request.decidedAt)}</td></tr>`,
  );
  const silence = incident.silence
    ? html`<table class="facts"><caption>Active silence</caption><tbody>
!${row('Silence id', html`<code>${incident.silence.id}</code>`)}
!${row('Requested by', text(incident.silence.requestedBy))}
!${row('Approved by', text(incident.silence.approvedBy))}
!${row('From', timeCell(incident.silence.startsAt))}
!${row('Until', timeCell(incident.silence.endsAt))}
!${row('Reason', text(incident.silence.reason))}
</tbody></table>`
    : html`<p>No active silence.</p>`;
  const silenceFailure = incident.silenceFailure ? html`<p class="warning">Last silence request failed: ${incident.silenceFailure.text}</p>` : '';
  const newestFirst = [...page.timeline].reverse();

  return html`!${summary}
<section aria-labelledby="h-cards"><h2 id="h-cards">Cards in chat</h2>
<table><caption>Where the incident's card is posted</caption>
<thead><tr><th scope="col">Destination</th><th scope="col">Message</th><th scope="col">Version shown</th><th scope="col">Link</th></tr></thead>
<tbody>!${cards.length > 0 ? cards : html`<tr><td colspan="4">No card posted yet.</td></tr>`}</tbody></table>
!${warRoom}
</section>
<section aria-labelledby="h-alerts"><h2 id="h-alerts">Alerts</h2>
<table><caption>Alerts of the group${incident.truncatedAlerts ? ` (Alertmanager left out ${incident.truncatedAlerts})` : ''}</caption>
<thead><tr><th scope="col">Status</th><th scope="col">Alert</th><th scope="col">Instance</th><th scope="col">Summary</th><th scope="col">Started</th><th scope="col">Source</th></tr></thead>
<tbody>!${alerts.length > 0 ? alerts : html`<tr><td colspan="6">No alerts recorded.</td></tr>`}</tbody></table>
</section>
<section aria-labelledby="h-diagnosis"><h2 id="h-diagnosis">Diagnosis</h2>
<table><caption>Latest result per probe and target</caption>
<thead><tr><th scope="col">Probe</th><th scope="col">Target</th><th scope="col">Result</th><th scope="col">Summary</th><th scope="col">When</th></tr></thead>
<tbody>!${diagnosis.length > 0 ? diagnosis : html`<tr><td colspan="5">No diagnosis ran.</td></tr>`}</tbody></table>
</section>
<section aria-labelledby="h-actions"><h2 id="h-actions">Actions and approvals</h2>
!${timelineTable('Actions run, with who ran them', page.timeline.filter((entry) => entry.kind === 'action'), 'No action ran.')}
<table><caption>Approval requests</caption>
<thead><tr><th scope="col">Action</th><th scope="col">Requested by</th><th scope="col">Requested</th><th scope="col">State</th><th scope="col">Decided by</th><th scope="col">Decided</th></tr></thead>
<tbody>!${approvals.length > 0 ? approvals : html`<tr><td colspan="6">No approval was requested.</td></tr>`}</tbody></table>
</section>
<section aria-labelledby="h-silences"><h2 id="h-silences">Silences</h2>
!${silence}
!${silenceFailure}
!${timelineTable('Silence history', page.timeline.filter((entry) => entry.kind === 'silence'), 'No silence was made.')}
</section>
<section aria-labelledby="h-timeline"><h2 id="h-timeline">Timeline</h2>
!${timelineTable('Everything that happened, newest first', newestFirst, 'Nothing recorded yet.')}
</section>`;
}
