import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listConfigWarnings } from '../../../src/config/list-config-warnings.js';
import { ConfigError, loadConfig, type LoadConfigOptions } from '../../../src/config/load-config.js';
import { randomSecret } from '../../support/test-redis.js';

const EXAMPLE = new URL('../../../deploy/warden.config.example.yaml', import.meta.url).pathname;
const MINIMAL = new URL('../../fixtures/config/minimal.yaml', import.meta.url).pathname;

/** Every variable the example references, with a valid value. */
const EXAMPLE_ENV = {
  REDIS_URL: 'redis://:redis-pass@127.0.0.1:6379/0',
  WARDEN_WEBHOOK_TOKEN: randomSecret(40),
  WARDEN_API_READ_TOKEN: randomSecret(40),
  SLACK_SIGNING_SECRET: randomSecret(32),
  SLACK_BOT_TOKEN: `xoxb-${randomSecret(24)}`,
  SLACK_API_URL: 'http://127.0.0.1:9999/api/',
  SLACK_APP_TOKEN: `xapp-${randomSecret(24)}`,
  LARK_APP_ID: 'cli_a1b2c3',
  LARK_APP_SECRET: randomSecret(32),
  LARK_ENCRYPT_KEY: randomSecret(32),
  LARK_VERIFICATION_TOKEN: randomSecret(24),
  LARK_DOMAIN: 'https://open.larksuite.com',
  FIREWALL_TOKEN: randomSecret(32),
  WARDEN_AUDIT_KEY: randomSecret(48),
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'warden-config-'));
  dirs.push(dir);
  return dir;
}

function loadYaml(yaml: string, env: Record<string, string | undefined>, extra: Partial<LoadConfigOptions> = {}) {
  const dir = tempDir();
  writeFileSync(join(dir, 'config.yaml'), yaml);
  return loadConfig({ env, file: 'config.yaml', cwd: dir, ...extra });
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: the example configuration', () => {
  it('references only variables the test sets', () => {
    const withoutComments = readFileSync(EXAMPLE, 'utf8').replace(/(^|\s)#.*$/gm, '');
    const names = [...withoutComments.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(5);
    expect(new Set(names)).toEqual(new Set(Object.keys(EXAMPLE_ENV)));
  });

  it('loads with all its variables set', () => {
    const config = loadConfig({ env: EXAMPLE_ENV, file: EXAMPLE, cwd: tempDir() });
    expect(config.server).toEqual({ host: '127.0.0.1', port: 3000, trustedProxies: [], bodyLimitBytes: 1048576 });
    expect(config.redis).toEqual({ url: EXAMPLE_ENV.REDIS_URL, prefix: 'warden' });
    expect(config.alertmanager.token).toBe(EXAMPLE_ENV.WARDEN_WEBHOOK_TOKEN);
    expect(config.api.readToken).toBe(EXAMPLE_ENV.WARDEN_API_READ_TOKEN);
    expect(config.slack).toEqual({
      signingSecret: EXAMPLE_ENV.SLACK_SIGNING_SECRET,
      botToken: EXAMPLE_ENV.SLACK_BOT_TOKEN,
      apiUrl: EXAMPLE_ENV.SLACK_API_URL,
      appToken: EXAMPLE_ENV.SLACK_APP_TOKEN,
    });
    expect(config.lark?.appSecret).toBe(EXAMPLE_ENV.LARK_APP_SECRET);
    expect(config.lark?.domain).toBe(EXAMPLE_ENV.LARK_DOMAIN);
    expect(config.routes.map((r) => r.to)).toEqual([['slack:C0SECURITY', 'lark:oc_0security'], ['slack:C0ALERTS']]);
    expect(config.access.permissions['action.approve']).toEqual(['approvers']);
    expect(Object.keys(config.actions).sort()).toEqual(['api-health', 'api-usage', 'backup-age', 'error-log-lines', 'error-rate', 'isolate-host', 'key-age', 'latency-p99', 'pause-task-queue', 'resource-usage', 'service-health', 'tls-certificate']);
    const isolate = config.actions['isolate-host'];
    expect(isolate?.kind === 'http' && isolate.request.headers.Authorization).toBe(`Bearer ${EXAMPLE_ENV.FIREWALL_TOKEN}`);
    expect(config.actions['api-health']?.destructive).toBe(false);
    expect(config.checklists.timezone).toBe('Asia/Shanghai');
    expect(Object.keys(config.checklists.schedules)).toEqual(['daily', 'weekly', 'monthly']);
    expect(config.audit.hmacKey).toBe(EXAMPLE_ENV.WARDEN_AUDIT_KEY);
    expect(config.audit.checkpoint).toEqual({ everyMinutes: 60, to: ['slack:C0AUDITLOG'], headers: {} });
  });

  it('drops optional keys whose variable is unset, and treats an empty variable as unset', () => {
    const env = { ...EXAMPLE_ENV, SLACK_API_URL: undefined, LARK_DOMAIN: '', WARDEN_AUDIT_KEY: undefined, REDIS_URL: undefined };
    const config = loadConfig({ env, file: EXAMPLE, cwd: tempDir() });
    expect(config.slack).toBeDefined();
    expect(config.slack && 'apiUrl' in config.slack).toBe(false);
    expect(config.lark && 'domain' in config.lark).toBe(false);
    expect(config.audit.hmacKey).toBeUndefined();
    expect(config.redis.url).toBeUndefined();
  });

  it('refuses an enabled integration whose secrets are unset, naming key, line and variable', () => {
    const env = { ...EXAMPLE_ENV, SLACK_SIGNING_SECRET: undefined, LARK_APP_SECRET: '' };
    const error = configError(() => loadConfig({ env, file: EXAMPLE, cwd: tempDir() }));
    expect(error.problems).toHaveLength(2);
    expect(error.problems[0]).toMatch(/^slack\.signingSecret \(line 32\): required, but \$\{SLACK_SIGNING_SECRET\} is not set; export SLACK_SIGNING_SECRET=/);
    expect(error.problems[1]).toMatch(/^lark\.appSecret \(line 41\): required, but \$\{LARK_APP_SECRET\} is not set/);
    expect(error.problems.join('\n')).toContain('remove the enclosing block');
  });

  it('is deeply frozen', () => {
    const config = loadConfig({ env: EXAMPLE_ENV, file: EXAMPLE, cwd: tempDir() });
    const nested = [config, config.server, config.routes, config.routes[0], config.routes[0]?.to, config.actions, config.actions['isolate-host'], config.access.groups.operators];
    for (const value of nested) expect(Object.isFrozen(value)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => (config.routes[0]?.to as string[]).push('slack:C0EVIL')).toThrow(TypeError);
    expect(config.server.port).toBe(3000);
    expect(config.routes[0]?.to).toHaveLength(2);
  });
});

describe('loadConfig: variables', () => {
  const token = randomSecret(40);

  it('reports a required key whose variable is unset with the key, line and variable', () => {
    const error = configError(() => loadYaml('server:\n  port: 3000\nalertmanager:\n  token: ${WARDEN_WEBHOOK_TOKEN}\n', {}));
    expect(error.problems).toEqual([
      'alertmanager.token (line 4): required, but ${WARDEN_WEBHOOK_TOKEN} is not set; export WARDEN_WEBHOOK_TOKEN=… (or remove the enclosing block to disable it)',
    ]);
    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain('config.yaml');
  });

  it('substitutes references embedded in longer strings, and refuses them when unset', () => {
    const yaml = 'alertmanager:\n  token: ${T}\naudit:\n  file: ${DATA_DIR}/audit-${SITE}.jsonl\n';
    expect(loadYaml(yaml, { T: token, DATA_DIR: '/var/lib/warden', SITE: 'eu' }).audit.file).toBe('/var/lib/warden/audit-eu.jsonl');
    const error = configError(() => loadYaml(yaml, { T: token, DATA_DIR: '/var/lib/warden' }));
    expect(error.problems).toEqual(['audit.file (line 4): uses ${SITE}, which is not set; export SITE or remove the key']);
  });

  it('applies HOST and PORT over the file, and REDIS_URL when the file sets no Redis URL', () => {
    const env = { WARDEN_WEBHOOK_TOKEN: token, HOST: '0.0.0.0', PORT: '8080', REDIS_URL: 'redis://10.0.0.5:6379' };
    const config = loadYaml('server:\n  host: 127.0.0.1\n  port: 3000\nalertmanager:\n  token: ${WARDEN_WEBHOOK_TOKEN}\n', env);
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.server.port).toBe(8080);
    expect(config.redis.url).toBe('redis://10.0.0.5:6379');
    const explicit = loadYaml('alertmanager:\n  token: ${WARDEN_WEBHOOK_TOKEN}\nredis:\n  url: redis://redis.internal:6379\n', env);
    expect(explicit.redis.url).toBe('redis://redis.internal:6379');
  });

  it('names the variable, not a line of the file, when PORT or REDIS_URL is bad', () => {
    const yaml = 'server:\n  port: 3000\nalertmanager:\n  token: ${WARDEN_WEBHOOK_TOKEN}\n';
    const error = configError(() => loadYaml(yaml, { WARDEN_WEBHOOK_TOKEN: token, PORT: 'http', REDIS_URL: 'localhost:6379' }));
    expect(error.problems).toHaveLength(2);
    expect(error.problems[0]).toMatch(/^server\.port \(from PORT\): .*expected number/);
    expect(error.problems[1]).toBe('redis.url (from REDIS_URL): must start with redis://, rediss:// or unix://');
  });

  it('reports a server or redis section that is not a map instead of crashing on HOST or REDIS_URL', () => {
    const yaml = 'server: 8080\nredis: [a]\nalertmanager:\n  token: ${WARDEN_WEBHOOK_TOKEN}\n';
    const error = configError(() => loadYaml(yaml, { WARDEN_WEBHOOK_TOKEN: token, HOST: '0.0.0.0', REDIS_URL: 'redis://r:6379' }));
    expect(error.problems).toEqual([
      'server (line 1): Invalid input: expected object, received number',
      'redis (line 2): Invalid input: expected object, received array',
    ]);
  });
});

describe('loadConfig: which file', () => {
  const token = randomSecret(40);

  it('without a file builds the configuration from the environment, with the fallback token', () => {
    let calls = 0;
    const fallback = () => {
      calls += 1;
      return 'f'.repeat(64);
    };
    const config = loadConfig({ env: {}, file: null, cwd: tempDir(), fallbackWebhookToken: fallback });
    expect(calls).toBe(1);
    expect(config.alertmanager.token).toBe('f'.repeat(64));
    expect(config.routes).toEqual([{ to: ['console:terminal'] }]);
    expect(config.slack).toBeUndefined();
    expect(config.lark).toBeUndefined();
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 3000 });

    expect(config.api.readToken).toBeUndefined();

    const readToken = randomSecret(40);
    const own = loadConfig({ env: { WARDEN_WEBHOOK_TOKEN: token, WARDEN_API_READ_TOKEN: readToken }, file: null, cwd: tempDir(), fallbackWebhookToken: fallback });
    expect(own.alertmanager.token).toBe(token);
    expect(own.api.readToken).toBe(readToken);
    expect(calls).toBe(1);
  });

  it('without a file and without the fallback, names WARDEN_WEBHOOK_TOKEN', () => {
    const error = configError(() => loadConfig({ env: {}, file: null, cwd: tempDir() }));
    expect(error.message).toContain('environment (no config file)');
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^alertmanager\.token: required, but \$\{WARDEN_WEBHOOK_TOKEN\} is not set/);
  });

  it('without a file enables Slack and Lark from their variables, and refuses half of them', () => {
    const slack = { SLACK_SIGNING_SECRET: randomSecret(32), SLACK_BOT_TOKEN: 'xoxb-1-2-3' };
    const config = loadConfig({ env: { WARDEN_WEBHOOK_TOKEN: token, ...slack }, file: null, cwd: tempDir() });
    expect(config.slack).toEqual({ signingSecret: slack.SLACK_SIGNING_SECRET, botToken: 'xoxb-1-2-3' });
    expect(config.lark).toBeUndefined();
    const error = configError(() => loadConfig({ env: { WARDEN_WEBHOOK_TOKEN: token, LARK_APP_ID: 'cli_1' }, file: null, cwd: tempDir() }));
    expect(error.problems.map((p) => p.split(':')[0])).toEqual(['lark.appSecret', 'lark.encryptKey', 'lark.verificationToken']);
    expect(error.problems[0]).toContain('LARK_APP_SECRET');
  });

  it('never uses the fallback token when there is a file', () => {
    const error = configError(() => loadYaml('alertmanager:\n  token: ${WARDEN_WEBHOOK_TOKEN}\n', {}, { fallbackWebhookToken: () => 'f'.repeat(64) }));
    expect(error.problems[0]).toContain('WARDEN_WEBHOOK_TOKEN');
  });

  it('reads WARDEN_CONFIG relative to cwd, else ./warden.config.yaml in cwd', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'warden.config.yaml'), 'alertmanager:\n  token: ${WARDEN_WEBHOOK_TOKEN}\nserver:\n  port: 4001\n');
    writeFileSync(join(dir, 'other.yaml'), readFileSync(MINIMAL, 'utf8') + 'server:\n  port: 4002\n');
    expect(loadConfig({ env: { WARDEN_WEBHOOK_TOKEN: token }, cwd: dir }).server.port).toBe(4001);
    expect(loadConfig({ env: { WARDEN_WEBHOOK_TOKEN: token, WARDEN_CONFIG: 'other.yaml' }, cwd: dir }).server.port).toBe(4002);
    expect(loadConfig({ env: { WARDEN_WEBHOOK_TOKEN: token }, file: MINIMAL, cwd: dir }).server.port).toBe(3000);
  });

  it('says clearly that the WARDEN_CONFIG file is missing', () => {
    const dir = tempDir();
    const error = configError(() => loadConfig({ env: { WARDEN_WEBHOOK_TOKEN: token, WARDEN_CONFIG: 'nope.yaml' }, cwd: dir }));
    expect(error.problems).toEqual([`cannot read ${join(dir, 'nope.yaml')}: file not found; set WARDEN_CONFIG to the config file's path`]);
  });

  it('reports YAML syntax errors with their line', () => {
    const error = configError(() => loadYaml('alertmanager:\n  token: ${WARDEN_WEBHOOK_TOKEN}\nroutes:\n  - to: ["slack:C0A"\n', { WARDEN_WEBHOOK_TOKEN: token }));
    expect(error.problems.length).toBeGreaterThan(0);
    expect(error.problems[0]).toMatch(/^YAML syntax at line [45]: /);
  });

  it('refuses duplicate keys, at the line of the second one', () => {
    const yaml = 'server:\n  port: 3000\nalertmanager:\n  token: ${WARDEN_WEBHOOK_TOKEN}\nserver:\n  port: 4000\n';
    const error = configError(() => loadYaml(yaml, { WARDEN_WEBHOOK_TOKEN: token }));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^YAML syntax at line 5: .*unique/);
  });

  it('reports an empty file or a top-level list as a missing configuration', () => {
    expect(configError(() => loadYaml('', {})).problems).toEqual(['alertmanager: required; add it']);
    const list = configError(() => loadYaml('- alertmanager\n', { WARDEN_WEBHOOK_TOKEN: token }));
    expect(list.problems).toHaveLength(1);
    expect(list.problems[0]).toMatch(/^\(top level\) \(line 1\): .*expected object/);
  });
});

describe('the example configuration\'s input patterns', () => {
  it('has nothing to warn about in the example configuration, whose input patterns all refuse a leading "-"', () => {
    const example = loadConfig({ file: EXAMPLE, env: EXAMPLE_ENV });
    expect(listConfigWarnings(example)).toEqual([]);
    const patterns = Object.values(example.actions).flatMap((action) => Object.values(action.params));
    expect(patterns.length).toBeGreaterThan(0);
    for (const pattern of patterns) expect(new RegExp(pattern).test('--all'), pattern).toBe(false);
  });
});
