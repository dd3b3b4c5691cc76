import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import type { SelfAuditContext } from './self-audit-context.js';
import type { SelfAuditCheck, SelfAuditFinding } from './self-audit-finding.js';
import { formatMode } from '../probes/describe-mode-bits.js';
import { toFinding } from './to-finding.js';

const ABSOLUTE: SelfAuditCheck = {
  id: 'exec-program-absolute',
  title: 'exec actions name their program by an absolute path',
  severity: 'high',
  fix: 'write argv[0] as an absolute path (e.g. /usr/local/bin/queuectl): a bare name runs whatever PATH finds first',
};
const EXECUTABLE: SelfAuditCheck = {
  id: 'exec-program-executable',
  title: 'exec actions name an existing executable file',
  severity: 'high',
  fix: 'install the program at that path and make it executable (chmod 0755 <path>), or correct argv[0]',
};
const NOT_WRITABLE: SelfAuditCheck = {
  id: 'exec-program-not-writable',
  title: 'exec programs and their directories are not group- or world-writable',
  severity: 'critical',
  fix: 'chmod go-w the program and every directory above it (a world-writable directory needs the sticky bit): whoever can change it runs code as Warden',
};

/** The program and the directories above it that someone other than the owner may change. */
function findWritable(program: string): string[] {
  const paths = [program];
  while (dirname(paths.at(-1)!) !== paths.at(-1)) paths.push(dirname(paths.at(-1)!));
  return paths.flatMap((path) => {
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch {
      return [];
    }
    // In a sticky directory (/tmp) others may add entries but not replace someone else's.
    const writable = (stats.mode & 0o022) !== 0 && !(stats.isDirectory() && (stats.mode & 0o1000) !== 0);
    return writable ? [`${path} (${formatMode(stats.mode)})`] : [];
  });
}

function describeProblem(program: string): string | undefined {
  let stats: Stats;
  try {
    stats = statSync(program);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : (error as Error).message;
  }
  if (!stats.isFile()) return 'is not a regular file';
  try {
    accessSync(program, constants.X_OK);
  } catch {
    return `is not executable (${formatMode(stats.mode)})`;
  }
  return undefined;
}

/** Action checks: the program of every `exec` action is absolute, executable, and changeable only by its owner. */
export function checkActions(context: SelfAuditContext): SelfAuditFinding[] {
  const programs = Object.entries(context.config.actions).flatMap(([id, action]) => (action.kind === 'exec' ? [{ id, program: action.argv[0] ?? '' }] : []));
  if (programs.length === 0) return [ABSOLUTE, EXECUTABLE, NOT_WRITABLE].map((check) => toFinding(check, 'skip', 'no exec actions are configured'));
  const listed = programs.map((p) => `${p.id}: ${p.program}`).join(', ');

  const relative = programs.filter((p) => !isAbsolute(p.program));
  const absolute = programs.filter((p) => isAbsolute(p.program));
  const broken = absolute.flatMap((p) => {
    const problem = describeProblem(p.program);
    return problem ? [`actions.${p.id}: ${p.program} ${problem}`] : [];
  });
  const writable = absolute.flatMap((p) => {
    const paths = findWritable(p.program);
    return paths.length > 0 ? [`actions.${p.id}: writable by group or others: ${paths.join(', ')}`] : [];
  });
  return [
    relative.length > 0
      ? toFinding(ABSOLUTE, 'fail', `argv[0] is not absolute in ${relative.map((p) => `actions.${p.id} (${p.program || 'empty'})`).join(', ')}`)
      : toFinding(ABSOLUTE, 'pass', listed),
    broken.length > 0 ? toFinding(EXECUTABLE, 'fail', broken.join('; ')) : toFinding(EXECUTABLE, 'pass', listed),
    writable.length > 0 ? toFinding(NOT_WRITABLE, 'fail', writable.join('; ')) : toFinding(NOT_WRITABLE, 'pass', listed),
  ];
}
