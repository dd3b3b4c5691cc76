import { html } from 'ghtml';
import type { AuditStatus } from './read-audit-status.js';
import { timeCell } from './format-console-values.js';

const STATE_TEXT: Record<AuditStatus['state'], string> = {
  verified: 'Verified: the hash chain is intact, agrees with every checkpoint known and with Redis.',
  failed: 'FAILED: the audit log does not verify.',
  'not-verified': 'Not verified.',
};

function row(label: string, value: string): string {
  return html`<tr><th scope="row">${label}</th><td>!${value}</td></tr>`;
}

/** The audit page: the verification's outcome and the last checkpoint. */
export function renderAuditStatus(status: AuditStatus): string {
  const checkpoint = status.lastCheckpoint
    ? html`<table class="facts"><caption>Last checkpoint the chain was held against</caption><tbody>
!${row('Seq', html`${status.lastCheckpoint.seq}`)}
!${row('Hash', html`<code>${status.lastCheckpoint.hash}</code>`)}
!${row('Taken', status.lastCheckpoint.at ? timeCell(Date.parse(status.lastCheckpoint.at)) : '—')}
!${row('Found in', html`${status.lastCheckpoint.source}`)}
</tbody></table>`
    : html`<p>No checkpoint was found to hold the chain against.</p>`;
  const recorded = status.recorded
    ? html`<table class="facts"><caption>Last checkpoint recorded in Redis</caption><tbody>
!${row('Seq', html`${status.recorded.seq}`)}
!${row('Hash', html`<code>${status.recorded.hash}</code>`)}
!${row('Taken', timeCell(Date.parse(status.recorded.at)))}
!${row('Signed (audit.hmacKey)', status.recorded.signed ? 'yes' : 'no')}
!${row('Posted to chat', status.recorded.announced ? 'yes' : 'not yet')}
!${row('Sent to the external store', status.recorded.posted ? 'yes' : 'no (or none configured)')}
</tbody></table>`
    : html`<p>No checkpoint is recorded in Redis yet.</p>`;
  return html`<p class="audit-state audit-${status.state}" role="status" data-state="${status.state}"><strong>${STATE_TEXT[status.state]}</strong>!${status.reason ? html` ${status.reason}` : ''}</p>
<table class="facts"><caption>Verification</caption><tbody>
!${row('Checked', timeCell(status.checkedAt))}
!${row('File', html`<code>${status.file}</code>`)}
!${row('Entries', status.count === undefined ? '—' : html`${status.count}`)}
!${row('Last seq', status.lastSeq === undefined ? '—' : html`${status.lastSeq}`)}
!${status.firstBadSeq === undefined ? '' : row('First bad seq', html`${status.firstBadSeq}`)}
</tbody></table>
!${checkpoint}
!${recorded}
<p>The same check from a shell: <code>warden audit-log verify</code>. This page repeats it at most every 30 seconds.</p>`;
}
