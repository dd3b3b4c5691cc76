import type { SelfAuditSummary } from '../probes/check-context.js';
import type { SelfAuditReport } from './self-audit-finding.js';

/** What the `self-audit` probe needs of a report: how many checks ran and failed, and which failed. */
export function summarizeSelfAudit(report: SelfAuditReport): SelfAuditSummary {
  return { total: report.total, failed: report.failed, failing: report.findings.filter((finding) => finding.status === 'fail').map((finding) => finding.id) };
}
