import type { SelfAuditCheck, SelfAuditFinding, SelfAuditSeverity, SelfAuditStatus } from './self-audit-finding.js';

/** The finding of `check` with `status` and its evidence; `severity` and `fix` override the check's own when a case needs it. */
export function toFinding(
  check: SelfAuditCheck,
  status: SelfAuditStatus,
  finding: string,
  override: { severity?: SelfAuditSeverity; fix?: string } = {},
): SelfAuditFinding {
  return {
    id: check.id,
    severity: override.severity ?? check.severity,
    status,
    title: check.title,
    finding,
    fix: override.fix ?? check.fix,
  };
}
