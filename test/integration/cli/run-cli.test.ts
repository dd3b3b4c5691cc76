import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../src/cli/main.js';
import { randomSecret } from '../../support/test-redis.js';

const EXAMPLE = new URL('../../../deploy/warden.config.example.yaml', import.meta.url).pathname;
const INVALID = new URL('../../fixtures/config/invalid.yaml', import.meta.url).pathname;
const LITERAL = new URL('../../fixtures/config/literal-secret.yaml', import.meta.url).pathname;
const MISSING = new URL('../../fixtures/config/does-not-exist.yaml', import.meta.url).pathname;

/** Secrets in the environment: none of them may ever be printed. */
const SECRETS = {
  WARDEN_WEBHOOK_TOKEN: randomSecret(40),
  WARDEN_API_READ_TOKEN: randomSecret(40),
  SLACK_SIGNING_SECRET: randomSecret(32),
  SLACK_BOT_TOKEN: `xoxb-${randomSecret(24)}`,
  LARK_APP_SECRET: randomSecret(32),
  LARK_ENCRYPT_KEY: randomSecret(32),
  LARK_VERIFICATION_TOKEN: randomSecret(24),
  FIREWALL_TOKEN: randomSecret(32),
  WARDEN_AUDIT_KEY: randomSecret(48),
};
const EXAMPLE_ENV = { ...SECRETS, LARK_APP_ID: 'cli_a1b2c3', REDIS_URL: `redis://:${randomSecret(20)}@127.0.0.1:6379` };

async function run(argv: string[], env: Record<string, string | undefined>) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { env, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** Fails when any secret of `env` (the variables named in SECRETS, and the Redis password) shows up in `text`. */
function expectNoSecrets(text: string, env: Record<string, string | undefined>) {
  for (const name of Object.keys(SECRETS)) {
    const value = env[name];
    if (value) expect(text, `${name} was printed`).not.toContain(value);
  }
  expect(text).not.toMatch(/redis:\/\/:[^@\s]+@/);
}

describe('warden config check', () => {
  it('prints a summary of a good configuration and exits 0', async () => {
    const env = { ...EXAMPLE_ENV, WARDEN_CONFIG: EXAMPLE, PORT: '3100' };
    const { code, stdout, stderr } = await run(['config', 'check'], env);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Configuration OK');
    expect(stdout).toContain('listen:     127.0.0.1:3100');
    expect(stdout).toContain('chat:       slack, lark');
    expect(stdout).toContain('routes:     2');
    expect(stdout).toContain('actions:    12');
    expect(stdout).toContain('on call:    primary, secondary');
    expect(stdout).toContain('escalation: standard, urgent');
    expect(stdout).toContain('checklists: daily ("0 9 * * *"), monthly ("0 10 1 * *"), predeploy (on demand), weekly ("0 10 * * 1") — times in Asia/Shanghai');
    expectNoSecrets(stdout, env);
  });

  it('says when cards go to the terminal', async () => {
    const env = { WARDEN_WEBHOOK_TOKEN: SECRETS.WARDEN_WEBHOOK_TOKEN, WARDEN_CONFIG: new URL('../../fixtures/config/minimal.yaml', import.meta.url).pathname };
    const { code, stdout } = await run(['config', 'check'], env);
    expect(code).toBe(0);
    expect(stdout).toContain('chat:       none (cards go to the terminal)');
    expect(stdout).toContain('checklists: daily (on demand), monthly (on demand), predeploy (on demand), weekly (on demand) — times in UTC');
  });

  it('lists every problem of a bad file on stderr and exits 1, without a stack or any secret', async () => {
    // The bot token is a secret of the wrong kind: the message must say so without showing it.
    const env = { ...SECRETS, SLACK_BOT_TOKEN: `xoxa-${randomSecret(30)}`, WARDEN_CONFIG: INVALID };
    const { code, stdout, stderr } = await run(['config', 'check'], env);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`warden: Invalid configuration (${INVALID}):`);
    expect(stderr).toContain('server.hots (line 3): unknown key; remove it or check its spelling');
    expect(stderr).toContain('slack.botToken (line 8): must be a bot token starting with xoxb-');
    expect(stderr).toContain('routes[0].to[0] (line 10): must be "slack:<channel id>"');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toContain('WardenError');
    expectNoSecrets(stderr, env);
  });

  it('names the missing variable of an enabled integration without printing the others', async () => {
    const env = { ...EXAMPLE_ENV, LARK_APP_SECRET: undefined, WARDEN_CONFIG: EXAMPLE };
    const { code, stderr } = await run(['config', 'check'], env);
    expect(code).toBe(1);
    expect(stderr).toContain('lark.appSecret (line 41): required, but ${LARK_APP_SECRET} is not set');
    expectNoSecrets(stderr, env);
  });

  it('refuses a secret written in the file without echoing it', async () => {
    const { code, stderr } = await run(['config', 'check'], { ...SECRETS, WARDEN_CONFIG: LITERAL });
    expect(code).toBe(1);
    expect(stderr).toContain('alertmanager.token (line 3): secrets must come from the environment, not the file: write ${WARDEN_WEBHOOK_TOKEN} here');
    expect(stderr).not.toContain('0123456789abcdef');
  });

  it('says clearly that the WARDEN_CONFIG file does not exist', async () => {
    const { code, stderr } = await run(['config', 'check'], { ...SECRETS, WARDEN_CONFIG: MISSING });
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot read ${MISSING}: file not found; set WARDEN_CONFIG to the config file's path`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('warden (usage)', () => {
  it.each([['help'], ['--help'], ['-h']])('prints the usage for %s and exits 0', async (word) => {
    const { code, stdout, stderr } = await run([word], {});
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: warden <command>/);
    expect(stdout).toContain('config check');
    expect(stdout).toContain('serve [--role all|web|worker]');
  });

  it('refuses an unknown command with exit 2, naming it', async () => {
    const { code, stdout, stderr } = await run(['deploy', '--now'], {});
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^warden: unknown command "deploy"\nUsage: warden <command>/);
  });

  it('treats "config" alone and no command at all as usage errors', async () => {
    const alone = await run(['config'], {});
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('unknown command "config"');
    const none = await run([], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^Usage: warden/);
  });

  it('refuses bad serve options with exit 2 before starting anything', async () => {
    const unknown = await run(['serve', '--port', '1'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--port'");
    const role = await run(['serve', '--role', 'api'], {});
    expect(role.code).toBe(2);
    expect(role.stderr).toBe('warden serve: --role must be one of all, web, worker\n');
  });
});
