import { chmod, symlink } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSpecSchema, type ProbeSpecOf } from '../../../src/probes/probe-spec-schema.js';
import { readAccountTable } from '../../../src/probes/read-account-table.js';
import { ACCOUNT_FILES, runFileModeProbe } from '../../../src/probes/run-file-mode-probe.js';
import { makeProbeTempDir, type ProbeTempDir } from '../../support/probe-temp-dir.js';

let tmp: ProbeTempDir;
let config: string;
const me = userInfo();
let myGroup: string;

function modeSpec(fields: Record<string, unknown>): ProbeSpecOf<'file-mode'> {
  return probeSpecSchema.parse({ kind: 'file-mode', path: config, ...fields }) as ProbeSpecOf<'file-mode'>;
}

beforeAll(async () => {
  tmp = await makeProbeTempDir();
  config = await tmp.file('config.yaml', 10, { mode: 0o600 });
  myGroup = (await readAccountTable(ACCOUNT_FILES.group)).nameOf(me.gid) ?? `gid ${me.gid}`;
});

afterAll(() => tmp.remove());

describe('runFileModeProbe on real files', () => {
  it('passes a file within maxMode, owned as expected, naming owner and group', async () => {
    await chmod(config, 0o600);
    const result = await runFileModeProbe(modeSpec({ maxMode: '640', owner: me.username, group: me.gid }), { actionId: 'config-mode' });
    expect(result).toMatchObject({ actionId: 'config-mode', ok: true, summary: `${config} mode 0600 (max 0640), owner ${me.username}, group ${myGroup}` });
  });

  it('fails a world-readable file, saying which bits are too many', async () => {
    await chmod(config, 0o644);
    const result = await runFileModeProbe(modeSpec({ maxMode: '640' }));
    expect(result).toMatchObject({ ok: false, summary: `${config} mode 0644 exceeds 0640 (others can read), owner ${me.username}, group ${myGroup}` });
    await chmod(config, 0o4755);
    const setuid = await runFileModeProbe(modeSpec({ maxMode: '0755' }));
    expect(setuid).toMatchObject({ ok: false, summary: `${config} mode 4755 exceeds 0755 (setuid), owner ${me.username}, group ${myGroup}` });
    await chmod(config, 0o600);
  });

  it('fails a file with another owner or group', async () => {
    const otherUid = me.uid + 1;
    const owner = await runFileModeProbe(modeSpec({ maxMode: '600', owner: otherUid }));
    expect(owner.ok).toBe(false);
    expect(owner.summary).toMatch(new RegExp(`^${config} mode 0600 \\(max 0600\\), owner ${me.username}, expected \\S+( \\d+)?, group ${myGroup}$`));
    const group = await runFileModeProbe(modeSpec({ maxMode: '600', group: String(me.gid + 1) }));
    expect(group.ok).toBe(false);
    expect(group.summary).toMatch(/, group \S+, expected \S+( \d+)?$/);
  });

  it('says "not checked" for a user name that does not exist', async () => {
    const result = await runFileModeProbe(modeSpec({ maxMode: '600', owner: 'no-such-warden-user' }));
    expect(result).toMatchObject({ ok: false, summary: 'not checked: no user named "no-such-warden-user" in /etc/passwd' });
  });

  it('fails "not found" for a missing file, and follows a link to the file it names', async () => {
    const missing = join(tmp.dir, 'missing.yaml');
    expect(await runFileModeProbe(modeSpec({ path: missing, maxMode: '600' }))).toMatchObject({ ok: false, summary: `not found: ${missing}` });
    const link = join(tmp.dir, 'link.yaml');
    await symlink(config, link);
    await chmod(config, 0o640);
    const result = await runFileModeProbe(modeSpec({ path: 'link.yaml', maxMode: '600' }), { cwd: tmp.dir });
    expect(result).toMatchObject({ ok: false, summary: `${link} mode 0640 exceeds 0600 (group can read), owner ${me.username}, group ${myGroup}` });
    await chmod(config, 0o600);
  });
});
