import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load-config.js';
import { createConfigFileLoader } from '../../support/create-config-file-loader.js';
import { randomSecret } from '../../support/test-redis.js';

const env = { WARDEN_WEBHOOK_TOKEN: randomSecret(40) };
const HEAD = 'alertmanager:\n  token: ${WARDEN_WEBHOOK_TOKEN}\n';

const load = createConfigFileLoader(env);
const { dir } = load;

/** The problems of a configuration that must be refused. */
function problems(yaml: string): string[] {
  try {
    load(yaml);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig refuses bad values, naming the key and line and saying how to fix it', () => {
  it('refuses unknown keys at every depth, each with its line', () => {
    const yaml = [
      HEAD.trimEnd(),
      'server:',
      '  hots: 0.0.0.0',
      'limits:',
      '  outbound:',
      '    slackPerChanel: 2',
      'routes:',
      '  - to: ["slack:C0SEC"]',
      '    mach: { severity: critical }',
      'actions:',
      '  ping:',
      '    kind: http',
      '    phase: analyze',
      '    title: Ping',
      '    request: { url: "http://x/", timeout: 3 }',
      'checklists:',
      '  schedules:',
      '    daily: { cron: "0 9 * * *", to: ["slack:C0SEC"], tz: UTC }',
      'colour: blue',
    ].join('\n');
    expect(problems(yaml).sort()).toEqual(
      [
        'server.hots (line 4): unknown key; remove it or check its spelling',
        'limits.outbound.slackPerChanel (line 7): unknown key; remove it or check its spelling',
        'routes[0].mach (line 10): unknown key; remove it or check its spelling',
        'actions.ping.request.timeout (line 16): unknown key; remove it or check its spelling',
        'checklists.schedules.daily.tz (line 19): unknown key; remove it or check its spelling',
        'colour (line 20): unknown key; remove it or check its spelling',
      ].sort(),
    );
  });

  it('reports a value of the wrong type as such, not as a missing key', () => {
    const found = problems(`${HEAD}server:\n  bodyLimitBytes: big\nroutes: {}\n`);
    expect(found).toEqual([
      'server.bodyLimitBytes (line 4): Invalid input: expected number, received string',
      'routes (line 5): Invalid input: expected array, received object',
    ]);
  });

  it('refuses a webhook token shorter than 32 characters and accepts 32', () => {
    const short = 'alertmanager:\n  token: ${SHORT}\n';
    writeFileSync(join(dir, 'short.yaml'), short);
    const run = (value: string) => loadConfig({ env: { SHORT: value }, file: 'short.yaml', cwd: dir });
    expect(() => run('a'.repeat(31))).toThrow(/alertmanager\.token \(line 2\): must be at least 32 characters; generate one with `openssl rand -hex 32`/);
    expect(run('a'.repeat(32)).alertmanager.token).toBe('a'.repeat(32));
  });

  it('takes an API read token of its own, never the webhook token', () => {
    writeFileSync(join(dir, 'api.yaml'), 'alertmanager:\n  token: ${WARDEN_WEBHOOK_TOKEN}\napi:\n  readToken: ${WARDEN_API_READ_TOKEN}\n');
    const run = (webhook: string, read: string) => loadConfig({ env: { WARDEN_WEBHOOK_TOKEN: webhook, WARDEN_API_READ_TOKEN: read }, file: 'api.yaml', cwd: dir });
    expect(() => run('w'.repeat(32), 'r'.repeat(31))).toThrow(/api\.readToken \(line 4\): must be at least 32 characters/);
    expect(() => run('w'.repeat(32), 'w'.repeat(32))).toThrow(/api\.readToken \(line 4\): is the same as alertmanager\.token/);
    expect(run('w'.repeat(32), 'r'.repeat(32)).api.readToken).toBe('r'.repeat(32));
    expect(loadConfig({ env: { WARDEN_WEBHOOK_TOKEN: 'w'.repeat(32) }, file: 'api.yaml', cwd: dir }).api.readToken).toBeUndefined();
  });

  it('refuses permissions that name a group access.groups does not define', () => {
    const yaml = `${HEAD}access:\n  groups:\n    ops: ["slack:U0OPS1"]\n  permissions:\n    action.run: [ops, admins]\n    action.approve: [leads]\n`;
    expect(problems(yaml)).toEqual([
      'access.permissions.action.run[1] (line 7): names the group "admins", which access.groups does not define; add it there or remove it here',
      'access.permissions.action.approve[0] (line 8): names the group "leads", which access.groups does not define; add it there or remove it here',
    ]);
    expect(load(`${HEAD}access:\n  groups:\n    ops: ["slack:U0OPS1"]\n  permissions:\n    action.run: [ops]\n`).access.permissions['action.run']).toEqual(['ops']);
  });

  it('refuses a permission that does not exist', () => {
    expect(problems(`${HEAD}access:\n  permissions:\n    incident.delete: []\n`)).toEqual([
      'access.permissions.incident.delete (line 5): unknown key; remove it or check its spelling',
    ]);
  });

  it.each([
    ['a channel name', '#security'],
    ['a bare id', 'C0SECURITY'],
    ['a lowercase Slack id', 'slack:c0security'],
    ['a Lark chat without oc_', 'lark:0security'],
    ['an unknown platform', 'teams:abc'],
    // Cards are updated in place in the channel they were posted to; a user id would open a DM
    // whose channel id differs.
    ['a Slack user id', 'slack:U0OPS1'],
  ])('refuses %s as a destination', (_name, destination) => {
    const found = problems(`${HEAD}routes:\n  - to: ["slack:C0OK", ${JSON.stringify(destination)}]\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^routes\[0\]\.to\[1\] \(line 4\): must be "slack:<channel id>" \(C…, G… or D…, e\.g\. slack:C0SECURITY\)/);
  });

  it.each([
    ['a display name', '@alice'],
    ['a Slack channel id', 'slack:C0OPS'],
    ['a Lark chat id', 'lark:oc_ops'],
  ])('refuses %s as an identity', (_name, identity) => {
    const found = problems(`${HEAD}access:\n  groups:\n    ops: ["slack:U0OPS1", ${JSON.stringify(identity)}]\n`);
    const expected = identity.includes(':')
      ? 'must be "slack:<user id>" (e.g. slack:U0OPS1), "lark:<open_id>" (e.g. lark:ou_0ops1), "console:<name>" (e.g. console:responder), "email:<address>" (e.g. email:alice@example.com, lowercase) or "sso:<user>" (e.g. sso:alice)'
      : 'must be "slack:<user id>" (e.g. slack:U0OPS1), "lark:<open_id>" (e.g. lark:ou_0ops1), "console:<name>", "email:<address>", "sso:<user>" or the name of a person in access.people (e.g. alice)';
    expect(found).toEqual([`access.groups.ops[1] (line 5): ${expected}`]);
  });

  it('accepts every destination and identity form', () => {
    const config = load(
      `${HEAD}routes:\n  - to: ["slack:C0SEC", "slack:G0PRIVATE", "lark:oc_a1-B_2", "console:terminal"]\naccess:\n  groups:\n    ops: ["slack:U0OPS1", "slack:W0ENT", "lark:ou_0ops1", "console:responder"]\n`,
    );
    expect(config.routes[0]?.to).toEqual(['slack:C0SEC', 'slack:G0PRIVATE', 'lark:oc_a1-B_2', 'console:terminal']);
    expect(config.access.groups.ops).toHaveLength(4);
  });

  it('refuses a routes list without destinations or empty', () => {
    expect(problems(`${HEAD}routes:\n  - to: []\n`)).toEqual(['routes[0].to (line 4): needs at least one destination']);
    expect(problems(`${HEAD}routes: []\n`)).toHaveLength(1);
  });

  it('refuses a checklist time zone that is not an IANA zone', () => {
    expect(problems(`${HEAD}checklists:\n  timezone: Mars/Olympus\n`)).toEqual([
      'checklists.timezone (line 4): must be an IANA time zone such as "UTC" or "Asia/Shanghai"',
    ]);
    expect(load(`${HEAD}checklists:\n  timezone: Europe/Berlin\n`).checklists.timezone).toBe('Europe/Berlin');
  });

  it('explains a bad key of a map, such as an upper-case action id', () => {
    const found = problems(`${HEAD}actions:\n  Ping:\n    kind: http-check\n    phase: analyze\n    title: Ping\n    url: http://127.0.0.1/\n`);
    expect(found).toEqual(['actions.Ping (line 4): bad key: action ids are lowercase letters, digits and dashes']);
  });

  it('refuses a Slack bot token of the wrong kind and an app token without xapp-', () => {
    writeFileSync(join(dir, 'slack.yaml'), `${HEAD}slack:\n  signingSecret: \${S}\n  botToken: \${B}\n  appToken: \${A}\n`);
    const error = (() => {
      try {
        loadConfig({ env: { ...env, S: 'signing', B: 'xoxa-legacy', A: 'xoxb-not-app' }, file: 'slack.yaml', cwd: dir });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.problems).toEqual([
      'slack.botToken (line 5): must be a bot token starting with xoxb-',
      'slack.appToken (line 6): must be an app-level token starting with xapp-',
    ]);
    expect(error.message).not.toContain('xoxa-legacy');
  });

  it('reports action problems at the action\'s lines', () => {
    const yaml = [
      HEAD.trimEnd(),
      'actions:',
      '  pause-queue:',
      '    kind: exec',
      '    phase: isolate',
      '    title: Pause queue',
      '    argv: ["queuectl", "{{ labels.queue }}"]',
      '    params:',
      "      labels.queue: '[a-z]+'",
      '  page-owner:',
      '    kind: http',
      '    phase: analyze',
      '    title: Page owner',
      '    request: { url: "https://pager.example/", body: { text: "{{ incident.title }}" } }',
    ].join('\n');
    expect(problems(yaml)).toEqual([
      'actions.pause-queue.params.labels.queue (line 10): must be a valid regular expression anchored with ^ and $ (e.g. "^[a-z0-9][a-z0-9-]{0,63}$")',
      'actions.pause-queue.argv (line 8): argv[0] must be an absolute program path without templates (e.g. "/usr/local/bin/queuectl")',
      "actions.page-owner.params (line 11): the template uses {{ incident.title }} but params has no pattern for it (every input except incident.key needs one); add params: { incident.title: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,252}$' } (or tighter)",
    ]);
  });

  it('refuses an exec timeout that does not fit inside the lock its job holds, and says how to fix it', () => {
    const action = (timeoutSeconds: number) =>
      [HEAD.trimEnd(), 'actions:', '  contain-host:', '    kind: exec', '    phase: isolate', '    title: Contain host', '    argv: ["/usr/local/bin/contain"]', `    timeoutSeconds: ${timeoutSeconds}`].join('\n');
    expect(problems(action(301))).toEqual([
      'actions.contain-host.timeoutSeconds (line 9): 301 s does not fit inside the lock an exec job holds while its program runs (at most 300 s, so that a job whose worker died is retried within about 5 minutes); lower timeoutSeconds to 300 or less, or let the program start longer work in the background and return',
    ]);
    expect(problems(action(900))).toEqual([expect.stringMatching(/^actions\.contain-host\.timeoutSeconds \(line 9\): 900 s does not fit inside the lock/)]);
    expect(load(action(300)).actions['contain-host']).toMatchObject({ kind: 'exec', timeoutSeconds: 300 });
    // Other kinds keep their own limit.
    const http = action(301).replace('kind: exec', 'kind: http').replace('argv: ["/usr/local/bin/contain"]', 'request: { url: "https://fw.example/" }');
    expect(load(http).actions['contain-host']).toMatchObject({ kind: 'http', timeoutSeconds: 301 });
  });

  it('takes audit checkpoints every hour by default, to an https store or a loopback relay, and says how to fix a bad one', () => {
    expect(load(HEAD).audit.checkpoint).toEqual({ everyMinutes: 60, to: [], headers: {} });
    const good = load(`${HEAD}audit:\n  checkpoint:\n    everyMinutes: 15\n    to: [slack:C0AUDIT, lark:oc_audit]\n    url: http://127.0.0.1:8080/checkpoints\n`);
    expect(good.audit.checkpoint).toEqual({ everyMinutes: 15, to: ['slack:C0AUDIT', 'lark:oc_audit'], url: 'http://127.0.0.1:8080/checkpoints', headers: {} });
    expect(problems(`${HEAD}audit:\n  checkpoint:\n    everyMinutes: 0\n    to: [C0AUDIT]\n    url: http://worm.example.com/x\n    cadence: 5\n`)).toEqual([
      expect.stringMatching(/^audit\.checkpoint\.everyMinutes \(line 5\): /),
      expect.stringMatching(/^audit\.checkpoint\.to\[0\] \(line 6\): must be "slack:<channel id>"/),
      'audit.checkpoint.url (line 7): must be an https:// URL (http:// only to a loopback address such as http://127.0.0.1:8080/checkpoints)',
      'audit.checkpoint.cadence (line 8): unknown key; remove it or check its spelling',
    ]);
  });

  it('lists every problem at once', () => {
    const found = problems(`${HEAD}server:\n  port: 70000\nretention:\n  closedIncidentDays: 0\nlimits:\n  commandsPerUserPerMinute: 0\n`);
    expect(found.map((p) => p.split(' ')[0])).toEqual(['server.port', 'retention.closedIncidentDays', 'limits.commandsPerUserPerMinute']);
  });
});
