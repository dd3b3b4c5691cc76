import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { REQUIRED_CHECKLISTS, type Checklist } from '../../../src/checklists/checklist-schema.js';
import { loadChecklists } from '../../../src/checklists/load-checklists.js';
import { resolveItemCheck } from '../../../src/checklists/resolve-item-check.js';
import { configSchema, type Config } from '../../../src/config/config-schema.js';
import { ConfigError } from '../../../src/config/load-config.js';
import { isWardenError } from '../../../src/errors/warden-error.js';
import { SHIPPED_CHECKLISTS } from '../../support/checklist-test-runs.js';

/** The shipped example configuration's actions and checklist schedules, validated (its secrets are ${NAME} references, so only these parts). */
const exampleTree = parse(readFileSync(new URL('../../../deploy/warden.config.example.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;
const example: Config = configSchema.parse({ alertmanager: { token: 'x'.repeat(32) }, actions: exampleTree['actions'], checklists: exampleTree['checklists'] });

/** A checklist file with one manual item; `extra` lines are appended (more items, keys). */
function checklistYaml(id: string, extra = ''): string {
  return `id: ${id}\ntitle: ${id} checks\ndueWithinHours: 24\nitems:\n  - id: look\n    title: Look around\n    guidance: Carefully.\n${extra}`;
}

let n = 0;
/** A folder holding the four required checklists (unless left out) plus `files` (name → YAML, replacing a required one). */
function folder(files: Record<string, string>, leaveOut: readonly string[] = []): string {
  const dir = join(root, `case-${++n}`);
  mkdirSync(dir);
  for (const id of REQUIRED_CHECKLISTS) if (!leaveOut.includes(id)) writeFileSync(join(dir, `${id}.yaml`), checklistYaml(id));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The problems `loadChecklists` reports for `dir`; fails the test when it loads. */
function problemsOf(dir: string, options: Parameters<typeof loadChecklists>[1] = { actions: {} }): string[] {
  try {
    loadChecklists(dir, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect(isWardenError(error, 'config_invalid')).toBe(true);
    return (error as ConfigError).problems;
  }
  throw new Error('expected loadChecklists to fail');
}

/** Actions of each kind a check may or may not name, validated like a configuration's. */
const actions: Config['actions'] = configSchema.parse({
  alertmanager: { token: 'x'.repeat(32) },
  actions: {
    'restart-web': { kind: 'http', phase: 'recover', title: 'Restart web', request: { url: 'https://ops.example/restart' } },
    'pause-queue': { kind: 'exec', phase: 'isolate', title: 'Pause queue', argv: ['/usr/local/bin/queuectl', 'pause'] },
    'api-health': { kind: 'http-check', phase: 'analyze', title: 'API health', url: 'http://127.0.0.1:8080/healthz' },
  },
}).actions;

// Created after everything above that could throw while the file loads, so it is always removed.
const root = mkdtempSync(join(tmpdir(), 'warden-checklists-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ids = (checklist: Checklist | undefined): string[] => (checklist?.items ?? []).map((item) => item.id);

describe('loadChecklists: the shipped checklists', () => {
  const checklists = loadChecklists(SHIPPED_CHECKLISTS, { actions: example.actions, schedules: example.checklists.schedules });

  it('load with the example configuration\'s actions and schedules, keyed by id = file name', () => {
    const files = readdirSync(SHIPPED_CHECKLISTS).filter((name) => name.endsWith('.yaml')).map((name) => name.slice(0, -5)).sort();
    expect([...checklists.keys()].sort()).toEqual(files);
    expect(files).toEqual(expect.arrayContaining([...REQUIRED_CHECKLISTS]));
    for (const [id, checklist] of checklists) expect(checklist.id).toBe(id);
    // An empty action table (no configuration at all) is just as valid.
    expect([...loadChecklists(SHIPPED_CHECKLISTS, { actions: {} }).keys()]).toEqual([...checklists.keys()]);
  });

  it('daily: service status, error logs, unauthorized access, resource usage', () => {
    const daily = checklists.get('daily');
    expect(ids(daily)).toEqual(expect.arrayContaining(['service-status', 'error-logs', 'unauthorized-access', 'resource-usage']));
    expect(daily?.items.find((item) => item.id === 'unauthorized-access')?.check).toMatchObject({ kind: 'audit-count', types: expect.arrayContaining(['inbound.rejected', 'access.denied']) });
  });

  it('weekly: the self-audit, data-directory disk usage, log size, TLS certificate expiry', () => {
    const weekly = checklists.get('weekly');
    expect(ids(weekly)).toEqual(expect.arrayContaining(['self-audit', 'data-disk-usage', 'log-size', 'tls-certificates']));
    const check = (id: string) => weekly?.items.find((item) => item.id === id)?.check;
    expect(check('self-audit')).toMatchObject({ kind: 'self-audit' });
    expect(check('data-disk-usage')).toMatchObject({ kind: 'disk-usage', path: './data' });
    expect(check('log-size')).toMatchObject({ kind: 'disk-usage', path: '/var/log' });
    expect(check('tls-certificates')).toEqual({ action: 'tls-certificate' });
  });

  it('monthly: backups, API usage, performance, keys older than 90 days', () => {
    const monthly = checklists.get('monthly');
    expect(ids(monthly)).toEqual(expect.arrayContaining(['backup-recent', 'api-usage', 'performance', 'key-age']));
    const keyAge = monthly?.items.find((item) => item.id === 'key-age');
    expect(`${keyAge?.title} ${keyAge?.guidance}`).toMatch(/90 days/);
  });

  it('predeploy: at least 20 items, covering the issue\'s list', () => {
    const predeploy = checklists.get('predeploy');
    expect(predeploy?.items.length).toBeGreaterThanOrEqual(20);
    expect(predeploy?.items.length).toBeLessThanOrEqual(22);
    expect(ids(predeploy)).toEqual(
      expect.arrayContaining([
        'non-root-user',
        'config-file-mode',
        'data-dir-mode',
        'secrets-from-environment',
        'token-length',
        'https',
        'firewall',
        'loopback-bind',
        'log-redaction',
        'log-rotation',
        'encrypted-backups',
        'certificate-renewal',
        'key-rotation',
        'update-policy',
      ]),
    );
    const check = (id: string) => predeploy?.items.find((item) => item.id === id)?.check;
    expect(check('non-root-user')).toMatchObject({ kind: 'process-user', forbidRoot: true });
    expect(check('data-dir-mode')).toMatchObject({ kind: 'file-mode', path: './data', maxMode: '700' });
    expect(predeploy?.items.find((item) => item.id === 'token-length')?.title).toMatch(/32/);
  });

  it('gives every checklist the default N/A reasons and unique item ids', () => {
    for (const checklist of checklists.values()) {
      expect(checklist.skipReasons.length, checklist.id).toBeGreaterThan(0);
      expect(new Set(ids(checklist)).size, checklist.id).toBe(checklist.items.length);
    }
  });

  it('is frozen', () => {
    expect(() => (checklists as Map<string, unknown>).set('x', {})).toThrow(TypeError);
    expect(() => (checklists as Map<string, unknown>).delete('daily')).toThrow(TypeError);
    expect(checklists.has('daily')).toBe(true);
    expect(Object.isFrozen(checklists.get('daily')?.items[0])).toBe(true);
  });

  it('finds the same files by default (the package\'s checklists/) and from a path string', () => {
    expect([...loadChecklists(undefined, { actions: {} }).keys()]).toEqual([...checklists.keys()]);
    expect([...loadChecklists(SHIPPED_CHECKLISTS.pathname, { actions: {} }).keys()]).toEqual([...checklists.keys()]);
  });

  it('rejects a schedule naming a checklist that has no file, listing the ones there are', () => {
    const problems = problemsOf(SHIPPED_CHECKLISTS.pathname, { actions: {}, schedules: { ...example.checklists.schedules, nightly: { cron: '0 1 * * *', to: ['slack:C0SECURITY'] } } });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^configuration: checklists\.schedules\.nightly: names the checklist "nightly", but .*checklists has no nightly\.yaml; use one of daily, monthly, predeploy, weekly or add the file$/);
  });
});

describe('loadChecklists: problems name the file, the line, the key and the fix', () => {
  it('rejects an unknown key, at the top and in an item, with its line', () => {
    const dir = folder({ 'weekly.yaml': checklistYaml('weekly', '    owner: sec-team\nschedule: weekly\n') });
    const file = join(dir, 'weekly.yaml');
    expect(problemsOf(dir)).toEqual([`${file}:8: items[0].owner: unknown key; remove it or check its spelling`, `${file}:9: schedule: unknown key; remove it or check its spelling`]);
  });

  it('rejects a duplicate item id, naming the second one', () => {
    const dir = folder({ 'daily.yaml': checklistYaml('daily', '  - id: disk\n    title: Disk\n    guidance: df -h.\n  - id: look\n    title: Look again\n    guidance: Twice.\n') });
    expect(problemsOf(dir)).toEqual([`${join(dir, 'daily.yaml')}:11: items[2].id: "look" is used by an earlier item; item ids must be unique in a checklist`]);
  });

  it('reports a duplicate item id also when another item of the file is invalid', () => {
    const dir = folder({ 'daily.yaml': checklistYaml('daily', '  - id: look\n    title: Look again\n    guidance: Twice.\n  - id: Bad_Id\n    title: Bad\n    guidance: Bad.\n') });
    const file = join(dir, 'daily.yaml');
    expect(problemsOf(dir)).toEqual([
      `${file}:8: items[1].id: "look" is used by an earlier item; item ids must be unique in a checklist`,
      `${file}:11: items[2].id: must be 1–48 lowercase letters, digits and dashes, e.g. "disk-usage"`,
    ]);
  });

  it('requires the id to equal the file name, saying which to change', () => {
    const dir = folder({ 'monthly.yaml': checklistYaml('quarterly') });
    expect(problemsOf(dir)).toEqual([
      `${join(dir, 'monthly.yaml')}:1: id: "quarterly" must equal the file name without .yaml ("monthly"); set id: monthly or rename the file to quarterly.yaml`,
    ]);
  });

  it('reports a .yml file (it would be ignored) and says to rename it', () => {
    const dir = folder({ 'audit.yml': checklistYaml('audit') });
    expect(problemsOf(dir)).toEqual([`${join(dir, 'audit.yml')}: checklist files end in .yaml; rename it to audit.yaml`]);
  });

  it('reports an empty file and what it must hold', () => {
    const dir = folder({ 'weekly.yaml': '' });
    expect(problemsOf(dir)).toEqual([`${join(dir, 'weekly.yaml')}:1: (top level): the file is empty; a checklist needs id, title, dueWithinHours and items`]);
  });

  it('requires the four standard checklists', () => {
    const dir = folder({}, ['predeploy']);
    expect(problemsOf(dir)).toEqual([`${join(dir, 'predeploy.yaml')}: missing; restore it (id: predeploy) — /audit predeploy and its schedule need it`]);
    const empty = folder({}, REQUIRED_CHECKLISTS);
    expect(problemsOf(empty)).toEqual(REQUIRED_CHECKLISTS.map((id) => `${join(empty, `${id}.yaml`)}: missing; restore it (id: ${id}) — /audit ${id} and its schedule need it`));
  });

  it('rejects a check with an unknown probe kind, at the check\'s line, listing the kinds', () => {
    const dir = folder({ 'daily.yaml': checklistYaml('daily', '    check: { kind: cpu-usage, maxPercent: 90 }\n') });
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${escapeRegExp(join(dir, 'daily.yaml'))}:8: items\\[0\\]\\.check\\.kind: `));
    expect(problems[0]).toContain('kind must be one of http-check, prometheus, tls-expiry, disk-usage, file-mode, newest-file-age, process-user, audit-count, redis-config, self-audit');
  });

  it('rejects a bad value in an inline probe with the probe\'s own message', () => {
    const dir = folder({ 'daily.yaml': checklistYaml('daily', '    check: { kind: disk-usage, path: ./data, maxPercent: 180 }\n') });
    expect(problemsOf(dir)).toEqual([`${join(dir, 'daily.yaml')}:8: items[0].check.maxPercent: must be at most 100 (percent of the file system in use)`]);
  });

  it('rejects a check naming a configured remediation (http or exec): a check may only read', () => {
    const text = checklistYaml('weekly', '    check: { action: restart-web }\n  - id: pause\n    title: Pause\n    guidance: Pause it.\n    check: { action: pause-queue }\n');
    const dir = folder({ 'weekly.yaml': text });
    const file = join(dir, 'weekly.yaml');
    expect(problemsOf(dir, { actions })).toEqual([
      `${file}:8: items[0].check.action: names the action "restart-web" (kind http), which changes things; a check may only use a probe (http-check, prometheus, tls-expiry, disk-usage …)`,
      `${file}:12: items[1].check.action: names the action "pause-queue" (kind exec), which changes things; a check may only use a probe (http-check, prometheus, tls-expiry, disk-usage …)`,
    ]);
    // The same file is fine where those ids are not configured: the items are then manual.
    expect(loadChecklists(dir, { actions: {} }).get('weekly')?.items).toHaveLength(2);
  });

  it('accepts a check naming an unconfigured action (manual here, with a note) and runs a configured probe action', () => {
    const dir = folder({ 'weekly.yaml': checklistYaml('weekly', '    check: { action: service-health }\n  - id: api\n    title: API answers\n    guidance: curl it.\n    check: { action: api-health }\n') });
    const weekly = loadChecklists(dir, { actions }).get('weekly')!;
    expect(weekly.items.map((item) => item.check)).toEqual([{ action: 'service-health' }, { action: 'api-health' }]);
    expect(resolveItemCheck(weekly.items[0]!, actions)).toEqual({
      type: 'manual',
      note: 'no automated check here: configure the probe action "service-health" to check it automatically',
    });
    expect(resolveItemCheck(weekly.items[1]!, actions)).toEqual({ type: 'action', label: 'api-health', actionId: 'api-health' });
    // A remediation is never run as a check, even if a checklist got past the loader.
    expect(resolveItemCheck({ check: { action: 'restart-web' } }, actions)).toMatchObject({ type: 'manual' });
    expect(resolveItemCheck({ check: { kind: 'self-audit', timeoutSeconds: 10 } }, {})).toEqual({ type: 'probe', label: 'self-audit', spec: { kind: 'self-audit', timeoutSeconds: 10 } });
    expect(resolveItemCheck({}, actions)).toEqual({ type: 'manual' });
  });

  it('rejects a schedule naming a checklist without a file, and accepts one with a file', () => {
    const dir = folder({});
    const schedule = { cron: '0 10 * * 1', to: ['slack:C0SECURITY'] };
    expect(problemsOf(dir, { actions: {}, schedules: { weekly: schedule, fortnightly: schedule } })).toEqual([
      `configuration: checklists.schedules.fortnightly: names the checklist "fortnightly", but ${dir} has no fortnightly.yaml; use one of daily, monthly, predeploy, weekly or add the file`,
    ]);
    expect(loadChecklists(dir, { actions: {}, schedules: { weekly: schedule } }).has('weekly')).toBe(true);
  });

  it('rejects more than 22 items (23) and says to split the checklist; 22 load', () => {
    const items = (count: number) => Array.from({ length: count }, (_, i) => `  - { id: item-${i}, title: Item ${i}, guidance: Check ${i}. }\n`).join('');
    const head = 'id: predeploy\ntitle: Long\ndueWithinHours: 24\nitems:\n';
    const dir = folder({ 'predeploy.yaml': head + items(23) });
    expect(problemsOf(dir)).toEqual([`${join(dir, 'predeploy.yaml')}:4: items: has more than 22 items (a card shows at most 22); split it into two checklists`]);
    const fits = folder({ 'predeploy.yaml': head + items(22) });
    expect(loadChecklists(fits, { actions: {} }).get('predeploy')?.items).toHaveLength(22);
  });

  it('rejects a checklist whose card would not fit Lark\'s 30 KB at its largest, saying how to fix it', () => {
    const guidance = 'g'.repeat(600);
    const items = Array.from({ length: 22 }, (_, i) => `  - { id: item-number-${String(i).padStart(8, '0')}, title: Item ${i}, guidance: ${guidance} }\n`).join('');
    const dir = folder({ 'predeploy.yaml': `id: predeploy\ntitle: Long\ndueWithinHours: 24\nitems:\n${items}` });
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${escapeRegExp(join(dir, 'predeploy.yaml'))}: its card would not fit \\(.*30720-byte limit\\); shorten the guidance, offer fewer skipReasons or split it into two checklists$`));
  });

  it('reports bad values, missing keys and YAML syntax with their lines', () => {
    const dir = folder({
      'daily.yaml': `id: daily\ntitle: Daily\ndueWithinHours: 0\nitems:\n  - id: Bad_Id\n    title: Look\n    guidance: Look.\n  - title: No id\n    guidance: Look.\n`,
      'weekly.yaml': `id: weekly\ntitle: Weekly\ndueWithinHours: 24\nitems:\n  - id: a\n    title: Look: closely\n    guidance: Look.\n`,
      'monthly.yaml': 'id: monthly\ntitle: Monthly\ndueWithinHours: 24\nitems: []\n',
    });
    const problems = problemsOf(dir);
    const daily = join(dir, 'daily.yaml');
    expect(problems).toContain(`${daily}:5: items[0].id: must be 1–48 lowercase letters, digits and dashes, e.g. "disk-usage"`);
    expect(problems).toContain(`${daily}:8: items[1].id: required; add it`);
    expect(problems.some((p) => p.startsWith(`${daily}:3: dueWithinHours: `))).toBe(true);
    expect(problems).toContain(`${join(dir, 'weekly.yaml')}:6: YAML syntax: Nested mappings are not allowed in compact mappings`);
    expect(problems).toContain(`${join(dir, 'monthly.yaml')}:4: items: has no items; add at least one`);
  });

  it('reports every problem of every file at once, in file order', () => {
    const dir = folder({ 'daily.yml': checklistYaml('daily'), 'weekly.yaml': checklistYaml('week', 'extra: 1\n'), 'notes.txt': 'not a checklist' }, ['daily']);
    const weekly = join(dir, 'weekly.yaml');
    expect(problemsOf(dir)).toEqual([
      `${join(dir, 'daily.yml')}: checklist files end in .yaml; rename it to daily.yaml`,
      `${weekly}:1: id: "week" must equal the file name without .yaml ("weekly"); set id: weekly or rename the file to week.yaml`,
      `${weekly}:8: extra: unknown key; remove it or check its spelling`,
      `${join(dir, 'daily.yaml')}: missing; restore it (id: daily) — /audit daily and its schedule need it`,
    ]);
  });

  it('says when the folder cannot be read, and how to restore it', () => {
    const missing = join(root, 'nowhere');
    expect(problemsOf(missing)).toEqual([`${missing}: cannot read the checklists: folder not found; restore checklists/ with daily, weekly, monthly and predeploy.yaml`]);
  });

  it('loads a good folder: defaults filled in, extra checklists kept', () => {
    const dir = folder({ 'quarterly.yaml': checklistYaml('quarterly', 'skipReasons: [Out of scope]\n') });
    const loaded = loadChecklists(dir, { actions: {} });
    expect([...loaded.keys()].sort()).toEqual(['daily', 'monthly', 'predeploy', 'quarterly', 'weekly']);
    expect(loaded.get('quarterly')?.skipReasons).toEqual(['Out of scope']);
    expect(loaded.get('daily')?.skipReasons).toEqual(['Not applicable here', 'Covered by another control', 'Accepted risk (ticket filed)', 'Not deployed yet']);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
