import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixFileModes } from '../../../src/self-audit/fix-file-modes.js';
import { buildConfig, makeTempDir } from '../../support/self-audit-fixtures.js';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => (temp = makeTempDir('audit-fix')));
afterEach(() => temp.remove());

const modeOf = (path: string) => statSync(path).mode & 0o7777;

function create(path: string, mode: number, directory = false) {
  if (directory) mkdirSync(path);
  else writeFileSync(path, 'x\n');
  chmodSync(path, mode);
}

describe('fixFileModes', () => {
  it('tightens a 0644 config file to 0640, a 0755 data directory to 0700 and a 0666 audit log to 0600, and says so', () => {
    const configPath = join(temp.dir, 'warden.config.yaml');
    create(configPath, 0o644);
    create(join(temp.dir, 'data'), 0o755, true);
    create(join(temp.dir, 'data', 'audit.jsonl'), 0o666);
    const fixes = fixFileModes({ config: buildConfig(), configPath, env: {}, cwd: temp.dir });
    expect(modeOf(configPath)).toBe(0o640);
    expect(modeOf(join(temp.dir, 'data'))).toBe(0o700);
    expect(modeOf(join(temp.dir, 'data', 'audit.jsonl'))).toBe(0o600);
    expect(fixes).toEqual([
      { path: configPath, label: 'config file', outcome: 'tightened', before: 0o644, after: 0o640 },
      { path: join(temp.dir, 'data'), label: 'data directory', outcome: 'tightened', before: 0o755, after: 0o700 },
      { path: join(temp.dir, 'data', 'audit.jsonl'), label: 'audit log file', outcome: 'tightened', before: 0o666, after: 0o600 },
      { path: join(temp.dir, 'data', 'webhook-token'), label: 'generated webhook token file', outcome: 'missing' },
    ]);
  });

  it('never loosens: 0600 and 0400 config files, a 0500 directory and a 0400 audit log stay as they are', () => {
    const configPath = join(temp.dir, 'warden.config.yaml');
    create(configPath, 0o600);
    create(join(temp.dir, 'data'), 0o700, true);
    create(join(temp.dir, 'data', 'audit.jsonl'), 0o400);
    chmodSync(join(temp.dir, 'data'), 0o500);
    const fixes = fixFileModes({ config: buildConfig(), configPath, env: {}, cwd: temp.dir });
    expect(modeOf(configPath)).toBe(0o600);
    expect(modeOf(join(temp.dir, 'data'))).toBe(0o500);
    expect(modeOf(join(temp.dir, 'data', 'audit.jsonl'))).toBe(0o400);
    expect(fixes.filter((f) => f.outcome === 'tightened')).toEqual([]);
    chmodSync(configPath, 0o400);
    fixFileModes({ config: buildConfig(), configPath, env: {}, cwd: temp.dir });
    expect(modeOf(configPath)).toBe(0o400);
  });

  it('clears only the extra bits: 0604 → 0600 for the config file, 0710 → 0700 keeps the setgid bit of a directory', () => {
    const configPath = join(temp.dir, 'warden.config.yaml');
    create(configPath, 0o604);
    create(join(temp.dir, 'data'), 0o2710, true);
    fixFileModes({ config: buildConfig(), configPath, env: {}, cwd: temp.dir });
    expect(modeOf(configPath)).toBe(0o600);
    expect(modeOf(join(temp.dir, 'data'))).toBe(0o2700);
  });

  it('creates nothing: without a config file and data directory it reports them missing', () => {
    const fixes = fixFileModes({ config: buildConfig(), configPath: null, env: {}, cwd: temp.dir });
    expect(fixes.map((f) => f.outcome)).toEqual(['missing', 'missing', 'missing']);
    expect(() => statSync(join(temp.dir, 'data'))).toThrow(/ENOENT/);
  });
});
