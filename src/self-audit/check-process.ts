import type { SelfAuditContext } from './self-audit-context.js';
import type { SelfAuditCheck, SelfAuditFinding } from './self-audit-finding.js';
import { toFinding } from './to-finding.js';

const NOT_ROOT: SelfAuditCheck = {
  id: 'process-not-root',
  title: 'Warden does not run as root',
  severity: 'critical',
  fix: 'run Warden as an unprivileged user: `User=warden` in the systemd unit (deploy/warden.service) or `USER` in the Dockerfile',
};

/** Process checks: the uid Warden runs as. */
export function checkProcess(context: SelfAuditContext): SelfAuditFinding[] {
  if (context.uid === undefined) return [toFinding(NOT_ROOT, 'skip', 'this platform has no process uid')];
  return [
    context.uid === 0
      ? toFinding(NOT_ROOT, 'fail', 'the process runs as uid 0 (root): a compromised remediation or dependency owns the host')
      : toFinding(NOT_ROOT, 'pass', `the process runs as uid ${context.uid}`),
  ];
}
