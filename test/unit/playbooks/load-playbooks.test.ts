import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { isWardenError } from '../../../src/errors/warden-error.js';
import { ConfigError } from '../../../src/config/load-config.js';
import { loadPlaybooks } from '../../../src/playbooks/load-playbooks.js';
import { findPlaybookStep } from '../../../src/playbooks/playbook-schema.js';
import { selectPlaybook } from '../../../src/playbooks/select-playbook.js';

const shippedDir = new URL('../../../checklists/playbooks/', import.meta.url);
const root = mkdtempSync(join(tmpdir(), 'warden-playbooks-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const DEFAULT = `id: default
title: General
phases:
  isolate:
    - id: contain
      title: Contain it
`;

let n = 0;
/** A folder holding `files` (name → YAML text); `default.yaml` is added unless `withDefault` is false. */
function folder(files: Record<string, string>, withDefault = true): string {
  const dir = join(root, `case-${++n}`);
  mkdirSync(dir);
  if (withDefault) writeFileSync(join(dir, 'default.yaml'), DEFAULT);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The problems `loadPlaybooks` reports for `dir`. */
function problemsOf(dir: string, options: Parameters<typeof loadPlaybooks>[1] = { actions: {} }): string[] {
  try {
    loadPlaybooks(dir, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect(isWardenError(error, 'config_invalid')).toBe(true);
    return (error as ConfigError).problems;
  }
  throw new Error('expected loadPlaybooks to fail');
}

describe('loadPlaybooks: the shipped playbooks', () => {
  const playbooks = loadPlaybooks(shippedDir, { actions: {} });

  it('loads every shipped file, keyed by id = file name, including default', () => {
    const files = readdirSync(shippedDir).filter((name) => name.endsWith('.yaml')).map((name) => name.slice(0, -5)).sort();
    expect([...playbooks.keys()].sort()).toEqual(files);
    expect(files).toEqual(
      expect.arrayContaining(['default', 'abnormal-access', 'api-key-leak', 'resource-exhaustion', 'suspicious-process', 'data-exfiltration', 'privilege-escalation']),
    );
    for (const [id, playbook] of playbooks) expect(playbook.id).toBe(id);
  });

  it('has steps in every phase of every playbook, all manual (action ids are deployment-specific)', () => {
    for (const playbook of playbooks.values()) {
      for (const phase of ['isolate', 'analyze', 'recover', 'optimize'] as const) {
        const steps = playbook.phases[phase] ?? [];
        expect(steps.length, `${playbook.id} ${phase}`).toBeGreaterThan(0);
        for (const step of steps) {
          expect(step.action, `${playbook.id}.${step.id}`).toBeUndefined();
          expect(step.title.length).toBeLessThanOrEqual(120);
        }
      }
    }
  });

  it('covers the issue\'s operations content', () => {
    const titles = (id: string, phase: 'isolate' | 'analyze' | 'recover' | 'optimize') =>
      (playbooks.get(id)?.phases[phase] ?? []).map((s) => s.title.toLowerCase()).join(' | ');
    expect(titles('abnormal-access', 'isolate')).toMatch(/stop the affected service or suspicious task queue/);
    expect(titles('abnormal-access', 'isolate')).toMatch(/logs and session data as evidence/);
    expect(titles('abnormal-access', 'analyze')).toMatch(/source ips.*commands.*file/s);
    expect(titles('abnormal-access', 'recover')).toMatch(/rotate all keys.*tokens.*access control.*firewall rules and configuration from backup/s);
    expect(titles('abnormal-access', 'optimize')).toMatch(/restrict.*stronger authentication.*monitoring.*notify/s);
    expect(titles('api-key-leak', 'isolate')).toMatch(/revoke/);
    expect(titles('api-key-leak', 'analyze')).toMatch(/usage records/);
    expect(titles('api-key-leak', 'recover')).toMatch(/new key.*update the environment.*restart/s);
    expect(titles('resource-exhaustion', 'isolate')).toMatch(/stop.*queue.*cap concurrency/s);
    expect(titles('resource-exhaustion', 'recover')).toMatch(/data integrity/);
    expect(titles('resource-exhaustion', 'optimize')).toMatch(/thresholds/);
  });

  it('is frozen: neither the map nor a playbook can change', () => {
    expect(() => (playbooks as Map<string, unknown>).set('x', {})).toThrow(TypeError);
    expect(() => (playbooks as Map<string, unknown>).delete('default')).toThrow(TypeError);
    expect(() => (playbooks as Map<string, unknown>).clear()).toThrow(TypeError);
    expect(playbooks.has('default')).toBe(true);
    expect(Object.isFrozen(playbooks.get('default')?.phases.isolate?.[0])).toBe(true);
  });

  it('finds the same files by default (from the package root) and from a path string', () => {
    expect([...loadPlaybooks(undefined, { actions: {} }).keys()]).toEqual([...playbooks.keys()]);
    expect([...loadPlaybooks(shippedDir.pathname, { actions: {} }).keys()]).toEqual([...playbooks.keys()]);
  });

  it('selectPlaybook picks the named playbook, and default for an unknown or absent name', () => {
    expect(selectPlaybook(playbooks, 'api-key-leak')?.id).toBe('api-key-leak');
    expect(selectPlaybook(playbooks, 'ransomware')?.id).toBe('default');
    expect(selectPlaybook(playbooks, undefined)?.id).toBe('default');
    expect(selectPlaybook(new Map(), 'x')).toBeUndefined();
    const abnormal = playbooks.get('abnormal-access')!;
    expect(findPlaybookStep(abnormal, 'rotate-keys-tokens')).toMatchObject({ phase: 'recover', step: { id: 'rotate-keys-tokens' } });
    expect(findPlaybookStep(abnormal, 'nope')).toBeUndefined();
  });
});

describe('loadPlaybooks: problems name the file, the line, the key and the fix', () => {
  it('rejects unknown keys, at any depth, and unknown phases', () => {
    const dir = folder({
      'bad.yaml': `id: bad
title: Bad
owner: sec-team
phases:
  triage:
    - id: look
      title: Look
  isolate:
    - id: contain
      title: Contain
      runbook: https://example.com
`,
    });
    const file = join(dir, 'bad.yaml');
    expect(problemsOf(dir)).toEqual([
      `${file}:3: owner: unknown key; remove it or check its spelling`,
      `${file}:5: phases.triage: unknown phase; phases are isolate, analyze, recover and optimize`,
      `${file}:11: phases.isolate[0].runbook: unknown key; remove it or check its spelling`,
    ]);
  });

  it('rejects duplicate step ids across phases', () => {
    const dir = folder({
      'dup.yaml': `id: dup
title: Duplicates
phases:
  isolate:
    - id: contain
      title: Contain
  recover:
    - id: restore
      title: Restore
    - id: contain
      title: Contain again
`,
    });
    expect(problemsOf(dir)).toEqual([
      `${join(dir, 'dup.yaml')}:10: phases.recover[1].id: duplicate step id "contain" (also phases.isolate[0]); step ids must be unique within the playbook, so rename one`,
    ]);
  });

  it('reports a duplicate step id also when another part of the file is invalid', () => {
    const dir = folder({
      'dup.yaml': `id: dup
title: Duplicates
phases:
  isolate:
    - id: contain
      title: Contain
    - id: contain
      title: ''
`,
    });
    const problems = problemsOf(dir);
    expect(problems).toContainEqual(
      `${join(dir, 'dup.yaml')}:7: phases.isolate[1].id: duplicate step id "contain" (also phases.isolate[0]); step ids must be unique within the playbook, so rename one`,
    );
    expect(problems.some((problem) => problem.includes('phases.isolate[1].title'))).toBe(true);
  });

  it('rejects a step bound to an action the configuration does not define, and accepts one it does', () => {
    const text = `id: bound
title: Bound
phases:
  isolate:
    - id: contain
      title: Contain
    - id: block
      title: Block the source
      action: block-ip
`;
    const dir = folder({ 'bound.yaml': text });
    expect(problemsOf(dir, { actions: { 'probe-web': {} } })).toEqual([
      `${join(dir, 'bound.yaml')}:9: phases.isolate[1].action: names the action "block-ip", which the configuration's actions do not define; add it to actions or remove action from the step`,
    ]);
    const loaded = loadPlaybooks(dir, { actions: { 'block-ip': {} } });
    expect(loaded.get('bound')?.phases.isolate?.[1]?.action).toBe('block-ip');
  });

  it('requires the id to equal the file name', () => {
    const dir = folder({ 'api-leak.yaml': DEFAULT.replace('id: default', 'id: api-key-leak') });
    expect(problemsOf(dir)).toEqual([
      `${join(dir, 'api-leak.yaml')}:1: id: "api-key-leak" must equal the file name without .yaml ("api-leak"); set id: api-leak or rename the file to api-key-leak.yaml`,
    ]);
  });

  it('requires a default playbook', () => {
    const dir = folder({ 'other.yaml': DEFAULT.replace('id: default', 'id: other') }, false);
    expect(problemsOf(dir)).toEqual([
      `${join(dir, 'default.yaml')}: missing; incidents whose route and alerts name no playbook follow "default", so add default.yaml (id: default) with at least one step`,
    ]);
  });

  it('reports bad values, missing keys and YAML syntax with their lines', () => {
    const dir = folder({
      'values.yaml': `id: values
title: ${'x'.repeat(130)}
phases:
  analyze:
    - id: Bad_Id
      title: Look
    - title: No id
  recover: []
`,
      'syntax.yaml': `id: syntax
title: Broken
phases:
  isolate:
    - id: a
      title: Contain: quickly
`,
      'empty.yaml': '',
    });
    const problems = problemsOf(dir);
    expect(problems).toContain(`${join(dir, 'empty.yaml')}:1: (top level): the file is empty; a playbook needs id, title and phases`);
    expect(problems).toContain(`${join(dir, 'syntax.yaml')}:6: YAML syntax: Nested mappings are not allowed in compact mappings`);
    const values = join(dir, 'values.yaml');
    expect(problems).toContain(`${values}:2: title: must be at most 120 characters`);
    expect(problems).toContain(`${values}:5: phases.analyze[0].id: a step id must be 1–64 lowercase letters, digits and dashes, e.g. "stop-service"`);
    expect(problems).toContain(`${values}:7: phases.analyze[1].id: required; add it`);
    expect(problems).toContain(`${values}:8: phases.recover: has no steps; add a step or remove the phase`);
  });

  it('reports every problem of every file at once, and .yml files that would be ignored', () => {
    const dir = folder(
      {
        'a.yaml': `id: b\ntitle: A\nextra: 1\nphases:\n  isolate:\n    - { id: s, title: S, action: nope }\n`,
        'c.yml': DEFAULT,
        'notes.txt': 'not a playbook',
      },
      false,
    );
    const problems = problemsOf(dir);
    const a = join(dir, 'a.yaml');
    expect(problems).toEqual([
      `${join(dir, 'c.yml')}: playbook files end in .yaml; rename it to c.yaml`,
      `${a}:1: id: "b" must equal the file name without .yaml ("a"); set id: a or rename the file to b.yaml`,
      `${a}:3: extra: unknown key; remove it or check its spelling`,
      `${a}:6: phases.isolate[0].action: names the action "nope", which the configuration's actions do not define; add it to actions or remove action from the step`,
      expect.stringMatching(/default\.yaml: missing; .*add default\.yaml/),
    ]);
  });

  it('checks that every route names an existing playbook', () => {
    const dir = folder({});
    expect(problemsOf(dir, { actions: {}, routes: [{ playbook: 'default' }, {}, { playbook: 'ransomware' }] })).toEqual([
      `configuration: routes[2].playbook: names the playbook "ransomware", but ${dir} has no ransomware.yaml; add it or fix the name`,
    ]);
    expect([...loadPlaybooks(pathToFileURL(`${dir}/`), { actions: {}, routes: [{ playbook: 'default' }] }).keys()]).toEqual(['default']);
  });

  it('says when the folder cannot be read', () => {
    const missing = join(root, 'nowhere');
    expect(problemsOf(missing)).toEqual([`${missing}: cannot read the playbooks: folder not found; restore checklists/playbooks with at least default.yaml`]);
  });
});

describe('warden config check', () => {
  async function check(yaml: string) {
    const file = join(root, `config-${++n}.yaml`);
    writeFileSync(file, yaml);
    let stdout = '';
    let stderr = '';
    const env = { WARDEN_CONFIG: file, WARDEN_WEBHOOK_TOKEN: 'w'.repeat(40) };
    const code = await runCli(['config', 'check'], { env, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, stdout, stderr };
  }

  it('lists the playbooks it loaded', async () => {
    const { code, stdout } = await check('alertmanager: { token: "${WARDEN_WEBHOOK_TOKEN}" }\nroutes: [{ to: [console:terminal], playbook: api-key-leak }]\n');
    expect(code).toBe(0);
    expect(stdout).toMatch(/playbooks: {2}abnormal-access, api-key-leak, .*default/);
  });

  it('fails with the playbook problem and how to fix it', async () => {
    const { code, stderr } = await check('alertmanager: { token: "${WARDEN_WEBHOOK_TOKEN}" }\nroutes: [{ to: [console:terminal], playbook: ransomware }]\n');
    expect(code).toBe(1);
    expect(stderr).toContain('routes[0].playbook: names the playbook "ransomware", but checklists/playbooks has no ransomware.yaml; add it or fix the name');
  });
});
