import type { SelfAuditFinding, SelfAuditReport } from './self-audit-finding.js';

/** The report of `findings`: them, and how many there are of each status (keys in the order `--json` prints them). */
export function summarizeFindings(findings: SelfAuditFinding[]): SelfAuditReport {
  const count = (status: SelfAuditFinding['status']) => findings.filter((f) => f.status === status).length;
  return { findings, total: findings.length, passed: count('pass'), failed: count('fail'), skipped: count('skip') };
}
