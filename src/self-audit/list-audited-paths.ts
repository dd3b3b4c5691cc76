import { dirname, resolve } from 'node:path';
import type { SelfAuditInput } from './self-audit-finding.js';
import { resolveConfigPath } from './self-audit-context.js';

/** A file or directory whose mode the audit checks and `--fix` may tighten. */
export interface AuditedPath {
  /** The id of the check that reports it. */
  id: 'config-file-mode' | 'data-dir-mode' | 'audit-file-mode' | 'webhook-token-file-mode';
  /** What it is, for people: "config file", "data directory"… */
  label: string;
  path: string;
  /** The loosest acceptable permission bits (e.g. 0o640); any other bit is a finding. */
  allowed: number;
}

/**
 * The config file (when there is one), the directory of `audit.file` (by default `./data`), the
 * audit JSONL file and the generated webhook token (`./data/webhook-token`), whether or not they exist.
 */
export function listAuditedPaths(input: Pick<SelfAuditInput, 'config' | 'configPath' | 'env' | 'cwd'>): AuditedPath[] {
  const cwd = input.cwd ?? process.cwd();
  const configPath = resolveConfigPath(input);
  const auditFile = resolve(cwd, input.config.audit.file);
  return [
    ...(configPath === null ? [] : [{ id: 'config-file-mode', label: 'config file', path: configPath, allowed: 0o640 } as const]),
    { id: 'data-dir-mode', label: 'data directory', path: dirname(auditFile), allowed: 0o700 },
    { id: 'audit-file-mode', label: 'audit log file', path: auditFile, allowed: 0o600 },
    { id: 'webhook-token-file-mode', label: 'generated webhook token file', path: resolve(cwd, 'data', 'webhook-token'), allowed: 0o600 },
  ];
}
