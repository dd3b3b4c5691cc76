import { userInfo } from 'node:os';
import type { ProbeResult } from '../model/probe-result.js';
import { sanitizeText } from '../shared/sanitize-text.js';
import type { ProbeRunnerOptions } from './probe-runner-options.js';
import type { ProbeSpecOf } from './probe-spec-schema.js';
import { startCheckResult } from './start-check-result.js';

/**
 * Checks the account Warden itself runs as: fails as root (uid 0) when `forbidRoot`, and as any
 * user other than `user` (a name or uid) when given: "running as uid 1001 (warden)".
 */
export async function runProcessUserProbe(spec: ProbeSpecOf<'process-user'>, options: ProbeRunnerOptions = {}): Promise<ProbeResult> {
  const finish = startCheckResult(spec, options);
  const getuid = options.getuid ?? process.getuid?.bind(process);
  if (getuid === undefined) return finish(false, 'not checked: this platform has no user ids');
  const uid = getuid();
  const name = readUserName(options.userInfo ?? userInfo, uid);
  const running = `running as uid ${uid}${name === undefined ? '' : ` (${sanitizeText(name, 40)})`}`;

  if (spec.forbidRoot && uid === 0) return finish(false, 'running as root (uid 0); run Warden as an unprivileged user');
  if (spec.user !== undefined) {
    const expected = typeof spec.user === 'number' || /^\d+$/.test(spec.user) ? Number(spec.user) : spec.user;
    const matches = typeof expected === 'number' ? expected === uid : expected === name;
    if (!matches) return finish(false, `${running}, expected ${typeof expected === 'number' ? `uid ${expected}` : sanitizeText(expected, 40)}`);
  }
  return finish(true, running);
}

function readUserName(read: () => { username: string; uid: number }, uid: number): string | undefined {
  try {
    const account = read();
    // os.userInfo answers for the effective uid; a name for another uid would mislead.
    return account.uid === uid ? account.username : undefined;
  } catch {
    // A uid without a passwd entry (common in containers) has no name.
    return undefined;
  }
}
