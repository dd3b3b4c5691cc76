import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/config-schema.js';
import { checkActions } from '../../../src/self-audit/check-actions.js';
import { buildConfig, buildContext, findingOf, makeTempDir } from '../../support/self-audit-fixtures.js';

let temp: ReturnType<typeof makeTempDir>;
let bin: string;
beforeEach(() => {
  temp = makeTempDir('audit-actions');
  bin = join(temp.dir, 'bin');
  mkdirSync(bin);
  chmodSync(bin, 0o755);
});
afterEach(() => temp.remove());

function program(name: string, mode: number): string {
  const path = join(bin, name);
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, mode);
  return path;
}

const exec = (argv0: string) => ({ kind: 'exec', phase: 'isolate', title: 'Run', argv: [argv0, 'pause'] });
const audit = (config: Config) => checkActions(buildContext({ config }));
const auditPrograms = (...paths: string[]) => audit(buildConfig({ actions: Object.fromEntries(paths.map((p, i) => [`act-${i}`, exec(p)])) }));

describe('checkActions', () => {
  it('passes an absolute, executable program that only its owner may change', () => {
    const path = program('queuectl', 0o755);
    const findings = auditPrograms(path);
    expect(findings.map((f) => [f.id, f.status])).toEqual([
      ['exec-program-absolute', 'pass'],
      ['exec-program-executable', 'pass'],
      ['exec-program-not-writable', 'pass'],
    ]);
    expect(findingOf(findings, 'exec-program-executable').finding).toBe(`act-0: ${path}`);
  });

  it('fails a program that does not exist or is not executable, naming the action', () => {
    const missing = join(bin, 'missing');
    const plain = program('plain', 0o644);
    const finding = findingOf(auditPrograms(missing, plain), 'exec-program-executable');
    expect(finding).toMatchObject({ status: 'fail', severity: 'high' });
    expect(finding.finding).toBe(`actions.act-0: ${missing} does not exist; actions.act-1: ${plain} is not executable (0644)`);
    expect(findingOf(auditPrograms(bin), 'exec-program-executable').finding).toBe(`actions.act-0: ${bin} is not a regular file`);
  });

  it('fails, critical, a group- or world-writable program or directory above it', () => {
    const path = program('queuectl', 0o775);
    const finding = findingOf(auditPrograms(path), 'exec-program-not-writable');
    expect(finding).toMatchObject({ status: 'fail', severity: 'critical', finding: `actions.act-0: writable by group or others: ${path} (0775)` });
    chmodSync(path, 0o755);
    chmodSync(bin, 0o777);
    expect(findingOf(auditPrograms(path), 'exec-program-not-writable').finding).toBe(`actions.act-0: writable by group or others: ${bin} (0777)`);
  });

  it('accepts a world-writable directory with the sticky bit (like /tmp)', () => {
    const path = program('queuectl', 0o755);
    chmodSync(bin, 0o1777);
    expect(findingOf(auditPrograms(path), 'exec-program-not-writable').status).toBe('pass');
  });

  it('fails a relative argv[0] (a config object loading would refuse)', () => {
    const config = buildConfig({ actions: { pause: exec('/usr/bin/true') } });
    const forged = { ...config, actions: { pause: { ...config.actions.pause!, argv: ['queuectl', 'pause'] } } } as Config;
    expect(findingOf(audit(forged), 'exec-program-absolute')).toMatchObject({ status: 'fail', severity: 'high', finding: 'argv[0] is not absolute in actions.pause (queuectl)' });
  });

  it('skips without exec actions', () => {
    expect(audit(buildConfig()).map((f) => [f.status, f.finding])).toEqual(Array(3).fill(['skip', 'no exec actions are configured']));
  });
});
