import { statSync } from 'node:fs';
import { describeModeBits, formatMode } from '../probes/describe-mode-bits.js';
import type { SelfAuditContext } from './self-audit-context.js';
import type { SelfAuditCheck, SelfAuditFinding } from './self-audit-finding.js';
import { listAuditedPaths, type AuditedPath } from './list-audited-paths.js';
import { toFinding } from './to-finding.js';

const CHECKS: Record<AuditedPath['id'], Omit<SelfAuditCheck, 'fix'>> = {
  'config-file-mode': { id: 'config-file-mode', title: 'The config file is mode 0640 or stricter', severity: 'high' },
  'data-dir-mode': { id: 'data-dir-mode', title: 'The data directory is mode 0700 or stricter', severity: 'high' },
  'audit-file-mode': { id: 'audit-file-mode', title: 'The audit log file is mode 0600 or stricter', severity: 'high' },
  'webhook-token-file-mode': { id: 'webhook-token-file-mode', title: 'The generated webhook token file is mode 0600 or stricter', severity: 'high' },
};

function checkPath(audited: AuditedPath): SelfAuditFinding {
  const check = { ...CHECKS[audited.id], fix: `chmod ${formatMode(audited.allowed)} ${audited.path} (or run \`warden audit --fix\`)` };
  let mode: number;
  try {
    mode = statSync(audited.path).mode & 0o777;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return toFinding(check, 'skip', code === 'ENOENT' ? `${audited.path} does not exist` : `cannot stat ${audited.path}: ${(error as Error).message}`);
  }
  const extra = mode & ~audited.allowed;
  if (extra === 0) return toFinding(check, 'pass', `${audited.label} ${audited.path} has mode ${formatMode(mode)}`);
  // Write access lets someone else change what Warden runs or records; read access only discloses it.
  const writable = (extra & 0o022) !== 0;
  return toFinding(
    check,
    'fail',
    `${audited.label} ${audited.path} has mode ${formatMode(mode)}, looser than ${formatMode(audited.allowed)}: ${describeModeBits(extra)}`,
    { severity: writable ? 'high' : 'medium' },
  );
}

/** File checks: the modes of the config file, the data directory, the audit log and the generated webhook token. */
export function checkFiles(context: SelfAuditContext): SelfAuditFinding[] {
  const findings = listAuditedPaths(context).map(checkPath);
  if (context.configPath !== null) return findings;
  const noFile = toFinding({ ...CHECKS['config-file-mode'], fix: 'chmod 0640 <config file>' }, 'skip', 'no config file: the configuration comes from the environment');
  return [noFile, ...findings];
}
