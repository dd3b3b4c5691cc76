import type { SelfAuditFinding, SelfAuditReport, SelfAuditSeverity } from './self-audit-finding.js';

const SEVERITIES: readonly SelfAuditSeverity[] = ['critical', 'high', 'medium', 'low'];
const SECTIONS: readonly [SelfAuditFinding['status'], string, string][] = [
  ['fail', 'Failed', 'seen'],
  ['skip', 'Skipped', 'why'],
  ['pass', 'Passed', ''],
];

/** `17 checks: 14 pass, 2 fail, 1 skipped`. */
function formatSummary(report: SelfAuditReport): string {
  return `${report.total} checks: ${report.passed} pass, ${report.failed} fail, ${report.skipped} skipped`;
}

/**
 * The report as a table for people: failures first (each with what was seen and its fix), then
 * skipped checks with the reason, then passes; each section by severity, then the summary line.
 */
export function formatSelfAuditReport(report: SelfAuditReport): string {
  const width = Math.max(0, ...report.findings.map((f) => f.id.length));
  const lines: string[] = [];
  for (const [status, heading, detail] of SECTIONS) {
    const findings = report.findings
      .filter((f) => f.status === status)
      .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
    if (findings.length === 0) continue;
    lines.push(heading);
    for (const f of findings) {
      lines.push(`  ${f.severity.toUpperCase().padEnd(8)}  ${f.id.padEnd(width)}  ${f.title}`);
      const indent = ' '.repeat(12);
      if (detail) lines.push(`${indent}${`${detail}:`.padEnd(6)}${f.finding}`);
      if (status === 'fail') lines.push(`${indent}fix:  ${f.fix}`);
    }
    lines.push('');
  }
  lines.push(formatSummary(report), '');
  return lines.join('\n');
}
