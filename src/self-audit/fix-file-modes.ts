import { chmodSync, statSync } from 'node:fs';
import type { SelfAuditInput } from './self-audit-finding.js';
import { listAuditedPaths } from './list-audited-paths.js';

/** What `fixFileModes` did to one path. */
export interface FileModeFix {
  path: string;
  /** "config file", "data directory", "audit log file"… */
  label: string;
  /** `tightened`: mode changed from `before` to `after`; `unchanged`: already strict enough; `failed`: see `error`. */
  outcome: 'tightened' | 'unchanged' | 'missing' | 'failed';
  before?: number;
  after?: number;
  error?: string;
}

/**
 * Tightens the modes the audit checks (config file → 0640, data directory → 0700, audit log and
 * generated webhook token → 0600) by clearing only the bits beyond those: it never adds a bit,
 * never changes an owner and never creates a path. Returns what it did to each path.
 */
export function fixFileModes(input: Pick<SelfAuditInput, 'config' | 'configPath' | 'env' | 'cwd'>): FileModeFix[] {
  return listAuditedPaths(input).map(({ path, label, allowed }): FileModeFix => {
    let before: number;
    try {
      before = statSync(path).mode & 0o7777;
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      return missing ? { path, label, outcome: 'missing' } : { path, label, outcome: 'failed', error: (error as Error).message };
    }
    // Special bits (setgid on a directory, say) are left as they are: only permission bits are tightened.
    const after = before & ~(0o777 & ~allowed);
    if (after === before) return { path, label, outcome: 'unchanged', before, after };
    try {
      chmodSync(path, after);
      return { path, label, outcome: 'tightened', before, after };
    } catch (error) {
      return { path, label, outcome: 'failed', before, error: (error as Error).message };
    }
  });
}
