import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkFiles } from '../../../src/self-audit/check-files.js';
import { buildConfig, buildContext, findingOf, makeTempDir } from '../../support/self-audit-fixtures.js';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => (temp = makeTempDir('audit-files')));
afterEach(() => temp.remove());

/** A deployment under the temp dir: config file, ./data and its audit file with the given modes (undefined: absent). */
function deploy(modes: { config?: number; data?: number; audit?: number; token?: number }) {
  const configPath = join(temp.dir, 'warden.config.yaml');
  if (modes.config !== undefined) {
    writeFileSync(configPath, 'alertmanager: { token: "${WARDEN_WEBHOOK_TOKEN}" }\n');
    chmodSync(configPath, modes.config);
  }
  const data = join(temp.dir, 'data');
  if (modes.data !== undefined) {
    mkdirSync(data);
    for (const [file, mode] of [['audit.jsonl', modes.audit], ['webhook-token', modes.token]] as const) {
      if (mode === undefined) continue;
      writeFileSync(join(data, file), 'x\n');
      chmodSync(join(data, file), mode);
    }
    chmodSync(data, modes.data);
  }
  return checkFiles(buildContext({ cwd: temp.dir, configPath: modes.config === undefined ? null : configPath }));
}

describe('checkFiles', () => {
  it('passes a deployment with 0640 config, 0700 data directory and 0600 audit log and token, naming each mode', () => {
    const findings = deploy({ config: 0o640, data: 0o700, audit: 0o600, token: 0o600 });
    expect(findings.map((f) => [f.id, f.status])).toEqual([
      ['config-file-mode', 'pass'],
      ['data-dir-mode', 'pass'],
      ['audit-file-mode', 'pass'],
      ['webhook-token-file-mode', 'pass'],
    ]);
    expect(findingOf(findings, 'config-file-mode').finding).toBe(`config file ${join(temp.dir, 'warden.config.yaml')} has mode 0640`);
    expect(findingOf(findings, 'data-dir-mode').finding).toBe(`data directory ${join(temp.dir, 'data')} has mode 0700`);
  });

  it('accepts stricter modes (0400, 0500)', () => {
    const findings = deploy({ config: 0o400, data: 0o500, audit: 0o400 });
    for (const id of ['config-file-mode', 'data-dir-mode', 'audit-file-mode']) expect(findingOf(findings, id).status).toBe('pass');
  });

  it('fails a world-readable config file (medium) and a group-writable one (high), with path and mode', () => {
    const readable = findingOf(deploy({ config: 0o644 }), 'config-file-mode');
    expect(readable).toMatchObject({ status: 'fail', severity: 'medium' });
    expect(readable.finding).toBe(`config file ${join(temp.dir, 'warden.config.yaml')} has mode 0644, looser than 0640: others can read`);
    expect(readable.fix).toBe(`chmod 0640 ${join(temp.dir, 'warden.config.yaml')} (or run \`warden audit --fix\`)`);
    temp.remove();
    temp = makeTempDir('audit-files');
    const writable = findingOf(deploy({ config: 0o660 }), 'config-file-mode');
    expect(writable).toMatchObject({ status: 'fail', severity: 'high' });
    expect(writable.finding).toContain('has mode 0660, looser than 0640: group can write');
  });

  it('fails a 0755 data directory and a 0644 audit log, and a world-writable directory is high', () => {
    const findings = deploy({ data: 0o755, audit: 0o644, token: 0o640 });
    expect(findingOf(findings, 'data-dir-mode')).toMatchObject({ status: 'fail', severity: 'medium' });
    expect(findingOf(findings, 'data-dir-mode').finding).toContain('has mode 0755, looser than 0700: group can read and execute, others can read and execute');
    expect(findingOf(findings, 'audit-file-mode')).toMatchObject({ status: 'fail', severity: 'medium' });
    expect(findingOf(findings, 'webhook-token-file-mode')).toMatchObject({ status: 'fail' });
    temp.remove();
    temp = makeTempDir('audit-files');
    expect(findingOf(deploy({ data: 0o777 }), 'data-dir-mode')).toMatchObject({ status: 'fail', severity: 'high' });
  });

  it('skips what does not exist, with the reason', () => {
    const findings = deploy({});
    expect(findingOf(findings, 'config-file-mode')).toMatchObject({ status: 'skip', finding: 'no config file: the configuration comes from the environment' });
    expect(findingOf(findings, 'data-dir-mode')).toMatchObject({ status: 'skip', finding: `${join(temp.dir, 'data')} does not exist` });
    expect(findingOf(findings, 'audit-file-mode').status).toBe('skip');
    const missingFile = checkFiles(buildContext({ cwd: temp.dir, configPath: join(temp.dir, 'gone.yaml') }));
    expect(findingOf(missingFile, 'config-file-mode')).toMatchObject({ status: 'skip', finding: `${join(temp.dir, 'gone.yaml')} does not exist` });
  });

  it('checks the directory of audit.file wherever it lives, and WARDEN_CONFIG', () => {
    const logs = join(temp.dir, 'var', 'log');
    mkdirSync(logs, { recursive: true, mode: 0o750 });
    chmodSync(logs, 0o750);
    writeFileSync(join(temp.dir, 'custom.yaml'), '{}\n', { mode: 0o600 });
    const config = buildConfig({ audit: { file: join(logs, 'audit.jsonl') } });
    const findings = checkFiles(buildContext({ config, cwd: temp.dir, configPath: undefined, env: { WARDEN_CONFIG: 'custom.yaml' } }));
    expect(findingOf(findings, 'data-dir-mode').finding).toContain(`data directory ${logs} has mode 0750`);
    expect(findingOf(findings, 'config-file-mode')).toMatchObject({ status: 'pass', finding: `config file ${join(temp.dir, 'custom.yaml')} has mode 0600` });
  });
});
