import { stat } from 'node:fs/promises';
import type { ProbeResult } from '../model/probe-result.js';
import { sanitizeText } from '../shared/sanitize-text.js';
import { describeFsError } from './describe-fs-error.js';
import { describeModeBits, formatMode } from './describe-mode-bits.js';
import type { ProbeRunnerOptions } from './probe-runner-options.js';
import type { ProbeSpecOf } from './probe-spec-schema.js';
import { readAccountTable, type AccountTable } from './read-account-table.js';
import { resolveCheckPath } from './resolve-check-path.js';
import { startCheckResult } from './start-check-result.js';

/** Where user and group names are looked up (no shell, no `id` program). */
export const ACCOUNT_FILES = { user: '/etc/passwd', group: '/etc/group' } as const;

/**
 * Checks that the file at `path` (symbolic links followed) has no permission bits outside
 * `maxMode` and, when given, the expected `owner` and `group` (names or numeric ids):
 * "/etc/warden/config.yaml mode 0644 exceeds 0640 (others can read), owner root, group root".
 * A missing file fails "not found: …".
 */
export async function runFileModeProbe(spec: ProbeSpecOf<'file-mode'>, options: ProbeRunnerOptions = {}): Promise<ProbeResult> {
  const finish = startCheckResult(spec, options);
  const path = resolveCheckPath(spec.path, options);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    return finish(false, describeFsError(error, path));
  }
  const [users, groups] = await Promise.all([readAccountTable(ACCOUNT_FILES.user), readAccountTable(ACCOUNT_FILES.group)]);
  const owner = compareAccount('user', spec.owner, Number(info.uid), users);
  const group = compareAccount('group', spec.group, Number(info.gid), groups);
  for (const account of [owner, group]) if (account.unknown) return finish(false, `not checked: ${account.text}`);

  const mode = Number(info.mode) & 0o7777;
  const maxMode = Number.parseInt(spec.maxMode, 8);
  const extra = mode & ~maxMode;
  const modeText = extra === 0 ? `mode ${formatMode(mode)} (max ${formatMode(maxMode)})` : `mode ${formatMode(mode)} exceeds ${formatMode(maxMode)} (${describeModeBits(extra)})`;
  return finish(extra === 0 && owner.ok && group.ok, `${sanitizeText(path, 200)} ${modeText}, owner ${owner.text}, group ${group.text}`);
}

interface AccountCheck {
  ok: boolean;
  text: string;
  /** The expected name is not in the account file: nothing to compare with. */
  unknown?: boolean;
}

function compareAccount(kind: 'user' | 'group', expected: string | number | undefined, actual: number, table: AccountTable): AccountCheck {
  const shown = (id: number) => {
    const name = table.nameOf(id);
    return name === undefined ? `${kind === 'user' ? 'uid' : 'gid'} ${id}` : sanitizeText(name, 40);
  };
  if (expected === undefined) return { ok: true, text: shown(actual) };
  const wanted = typeof expected === 'number' || /^\d+$/.test(expected) ? Number(expected) : table.idOf(expected);
  if (wanted === undefined) return { ok: false, unknown: true, text: `no ${kind} named "${sanitizeText(String(expected), 40)}" in ${ACCOUNT_FILES[kind]}` };
  if (wanted === actual) return { ok: true, text: shown(actual) };
  return { ok: false, text: `${shown(actual)}, expected ${shown(wanted)}` };
}
