import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/load-config.js';
import { createConfigFileLoader } from '../../support/create-config-file-loader.js';
import { randomSecret } from '../../support/test-redis.js';

const env = {
  WARDEN_WEBHOOK_TOKEN: randomSecret(40),
  SLACK_SIGNING_SECRET: randomSecret(32),
  SLACK_BOT_TOKEN: `xoxb-${randomSecret(20)}`,
  LARK_APP_ID: 'cli_1',
  LARK_APP_SECRET: randomSecret(32),
  LARK_ENCRYPT_KEY: randomSecret(32),
  LARK_VERIFICATION_TOKEN: randomSecret(24),
  FIREWALL_TOKEN: randomSecret(32),
  SLACK_CLIENT_SECRET: randomSecret(32),
};
const HEAD = 'alertmanager:\n  token: ${WARDEN_WEBHOOK_TOKEN}\n';
const SLACK = 'slack:\n  signingSecret: ${SLACK_SIGNING_SECRET}\n  botToken: ${SLACK_BOT_TOKEN}\n';
const LARK = 'lark:\n  appId: ${LARK_APP_ID}\n  appSecret: ${LARK_APP_SECRET}\n  encryptKey: ${LARK_ENCRYPT_KEY}\n  verificationToken: ${LARK_VERIFICATION_TOKEN}\n';

const load = createConfigFileLoader(env);

function refusal(yaml: string, withEnv: Record<string, string | undefined> = env): ConfigError {
  try {
    load(yaml, withEnv);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected the configuration to be refused');
}

function httpAction(headers: string): string {
  return `actions:\n  isolate-host:\n    kind: http\n    phase: isolate\n    title: Isolate\n    request:\n      url: https://fw.example/api\n      headers: ${headers}\n`;
}

describe('secrets written in the config file', () => {
  it.each([
    ['alertmanager.token', `alertmanager:\n  token: ${'s3cr3t'.repeat(7)}\n`, 2, 'WARDEN_WEBHOOK_TOKEN'],
    ['slack.botToken', `${HEAD}slack:\n  signingSecret: \${SLACK_SIGNING_SECRET}\n  botToken: xoxb-0000-literal\n`, 5, 'SLACK_BOT_TOKEN'],
    ['slack.signingSecret', `${HEAD}slack:\n  signingSecret: literal-signing\n  botToken: \${SLACK_BOT_TOKEN}\n`, 4, 'SLACK_SIGNING_SECRET'],
    ['lark.appSecret', `${HEAD}${LARK.replace('${LARK_APP_SECRET}', 'literal-app-secret')}`, 5, 'LARK_APP_SECRET'],
    ['lark.encryptKey', `${HEAD}${LARK.replace('${LARK_ENCRYPT_KEY}', 'literal-encrypt-key')}`, 6, 'LARK_ENCRYPT_KEY'],
    ['audit.hmacKey', `${HEAD}audit:\n  hmacKey: ${'k'.repeat(40)}\n`, 4, 'WARDEN_AUDIT_KEY'],
    ['console.slackSignIn.sessionKey', `${HEAD}server:\n  trustedProxies: ["127.0.0.1"]\nconsole:\n  slackSignIn:\n    clientId: "1.2"\n    clientSecret: \${SLACK_CLIENT_SECRET}\n    redirectUrl: https://warden.example.com/console/auth/slack/callback\n    sessionKey: ${'k'.repeat(40)}\n`, 10, 'WARDEN_CONSOLE_SESSION_KEY'],
    ['actions.isolate-host.request.headers.Authorization', `${HEAD}${httpAction('{ Authorization: "Bearer literal-fw-token" }')}`, 10, 'ISOLATE_HOST_AUTHORIZATION'],
    ['actions.isolate-host.request.headers.X-Api-Key', `${HEAD}${httpAction('{ X-Api-Key: literal-api-key }')}`, 10, 'ISOLATE_HOST_X_API_KEY'],
    ['audit.checkpoint.headers.Authorization', `${HEAD}audit:\n  checkpoint:\n    headers: { Authorization: "Bearer literal-store-token" }\n`, 5, 'WARDEN_CHECKPOINT_AUTHORIZATION'],
  ])('refuses %s written literally, naming the variable to use', (key, yaml, line, variable) => {
    const error = refusal(yaml);
    expect(error.problems).toEqual([
      `${key} (line ${line}): secrets must come from the environment, not the file: write \${${variable}} here and export ${variable}`,
    ]);
    // The literal value never appears in the message.
    expect(error.message).not.toMatch(/s3cr3t|literal|kkkkkkkk/);
  });

  it('accepts an action header that embeds a reference, and substitutes it', () => {
    const config = load(`${HEAD}${httpAction('{ Authorization: "Bearer ${FIREWALL_TOKEN}", Content-Type: application/json }')}`);
    const action = config.actions['isolate-host'];
    expect(action?.kind).toBe('http');
    expect(action?.kind === 'http' && action.request.headers).toEqual({ Authorization: `Bearer ${env.FIREWALL_TOKEN}`, 'Content-Type': 'application/json' });
  });

  it('accepts a checkpoint store header from a reference, and lists it with the secrets', async () => {
    const config = load(`${HEAD}audit:\n  checkpoint:\n    url: https://worm.example.com/warden\n    headers: { Authorization: "Bearer \${FIREWALL_TOKEN}", X-Bucket: audit }\n`);
    expect(config.audit.checkpoint.headers).toEqual({ Authorization: `Bearer ${env.FIREWALL_TOKEN}`, 'X-Bucket': 'audit' });
    const { listSecrets } = await import('../../../src/config/list-secrets.js');
    expect(listSecrets(config)).toContain(`Bearer ${env.FIREWALL_TOKEN}`);
    expect(listSecrets(config)).not.toContain('audit');
  });

  it('refuses a secret header whose "${" is not a reference', () => {
    const error = refusal(`${HEAD}${httpAction('{ Authorization: "Bearer literal-fw-token${" }')}`);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain('secrets must come from the environment');
  });

  it('refuses a secret header that references an unset variable, naming it', () => {
    const error = refusal(`${HEAD}${httpAction('{ Authorization: "Bearer ${FIREWALL_TOKEN}" }')}`, { ...env, FIREWALL_TOKEN: undefined });
    expect(error.problems).toEqual([
      'actions.isolate-host.request.headers.Authorization (line 10): uses ${FIREWALL_TOKEN}, which is not set; export FIREWALL_TOKEN or remove the key',
    ]);
  });
});

describe('enabled integrations need their secrets', () => {
  it('enables Slack and Lark when their blocks are present and their variables set', () => {
    const config = load(`${HEAD}${SLACK}${LARK}`);
    expect(config.slack?.botToken).toBe(env.SLACK_BOT_TOKEN);
    expect(config.lark?.verificationToken).toBe(env.LARK_VERIFICATION_TOKEN);
    const without = load(HEAD);
    expect(without.slack).toBeUndefined();
    expect(without.lark).toBeUndefined();
  });

  it('refuses a Slack block whose signing secret is unset', () => {
    const error = refusal(`${HEAD}${SLACK}`, { ...env, SLACK_SIGNING_SECRET: undefined });
    expect(error.problems).toEqual([
      'slack.signingSecret (line 4): required, but ${SLACK_SIGNING_SECRET} is not set; export SLACK_SIGNING_SECRET=… (or remove the enclosing block to disable it)',
    ]);
  });

  it('refuses a Lark block with none of its variables set, key by key', () => {
    const error = refusal(`${HEAD}${LARK}`, { WARDEN_WEBHOOK_TOKEN: env.WARDEN_WEBHOOK_TOKEN });
    expect(error.problems.map((p) => p.split(':')[0])).toEqual(['lark.appId (line 4)', 'lark.appSecret (line 5)', 'lark.encryptKey (line 6)', 'lark.verificationToken (line 7)']);
    for (const [i, variable] of ['LARK_APP_ID', 'LARK_APP_SECRET', 'LARK_ENCRYPT_KEY', 'LARK_VERIFICATION_TOKEN'].entries()) {
      expect(error.problems[i]).toContain(`export ${variable}=`);
    }
  });

  it('refuses an empty secret given as an empty string in the environment', () => {
    const error = refusal(`${HEAD}${SLACK}`, { ...env, SLACK_BOT_TOKEN: '' });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^slack\.botToken \(line 5\): required, but \$\{SLACK_BOT_TOKEN\} is not set/);
  });
});
