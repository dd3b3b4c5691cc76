import { listSecrets } from '../../../src/config/list-secrets.js';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/config-schema.js';
import { checkLogging } from '../../../src/self-audit/check-logging.js';
import { buildConfig, buildContext, findingOf, goodSlack } from '../../support/self-audit-fixtures.js';
import { randomSecret } from '../../support/test-redis.js';

const REDIS_PASSWORD = randomSecret(24);
const HEADER = randomSecret(32);

function fullConfig(extra: Record<string, unknown> = {}): Config {
  return buildConfig({
    redis: { url: `redis://warden:${REDIS_PASSWORD}@10.0.0.5:6379` },
    slack: { ...goodSlack(), appToken: `xapp-${randomSecret(30)}` },
    lark: { appId: 'cli_a1', appSecret: randomSecret(32), encryptKey: randomSecret(32), verificationToken: randomSecret(32) },
    audit: { hmacKey: randomSecret(48) },
    actions: { isolate: { kind: 'http', phase: 'isolate', title: 'Isolate', request: { url: 'https://fw.example/', headers: { Authorization: `Bearer ${HEADER}`, 'X-Api-Key': randomSecret(32) } } } },
    ...extra,
  });
}

const redaction = (config: Config) => findingOf(checkLogging(buildContext({ config })), 'log-redaction');

describe('checkLogging: redaction', () => {
  it('passes when the real logger hides every configured secret as a field, in a message and in an error', () => {
    const finding = redaction(fullConfig());
    expect(finding.status).toBe('pass');
    expect(finding.finding).toBe(
      '11 secret(s) logged as fields, in messages and in errors: all redacted (alertmanager.token, slack.signingSecret, slack.botToken, slack.appToken, lark.appSecret, lark.encryptKey, lark.verificationToken, audit.hmacKey, redis.url, actions.isolate.request.headers.Authorization, actions.isolate.request.headers.X-Api-Key)',
    );
  });

  it('passes a credential header named like a key (X-Key): the scrubber lists it and the logs never show it', () => {
    const value = randomSecret(32);
    const config = buildConfig({ actions: { isolate: { kind: 'http', phase: 'isolate', title: 'I', request: { url: 'https://fw.example/', headers: { 'X-Key': value } } } } });
    expect(listSecrets(config)).toContain(value);
    const finding = redaction(config);
    expect(finding).toMatchObject({ status: 'pass' });
    expect(finding.finding).not.toContain(value);
  });

  it('fails a secret too short for the scrubber to find in messages', () => {
    const token = randomSecret(6);
    const config = fullConfig({ lark: { appId: 'cli_a1', appSecret: randomSecret(32), encryptKey: randomSecret(32), verificationToken: token } });
    const finding = redaction(config);
    expect(finding.status).toBe('fail');
    expect(finding.finding).toBe('shown in logs: lark.verificationToken (in a log message, in an error)');
    expect(finding.finding).not.toContain(token);
  });
});

describe('checkLogging: level', () => {
  const level = (env: Record<string, string>) => findingOf(checkLogging(buildContext({ env })), 'log-level');

  it('fails debug and trace outside development, as low', () => {
    expect(level({ LOG_LEVEL: 'debug' })).toMatchObject({ status: 'fail', severity: 'low' });
    expect(level({ LOG_LEVEL: 'trace', NODE_ENV: 'production' }).finding).toMatch(/^LOG_LEVEL=trace, NODE_ENV=production: /);
  });

  it('passes info (or unset) anywhere and debug in development', () => {
    expect(level({})).toMatchObject({ status: 'pass', finding: 'LOG_LEVEL=info, NODE_ENV=(unset)' });
    expect(level({ LOG_LEVEL: 'warn', NODE_ENV: 'production' }).status).toBe('pass');
    expect(level({ LOG_LEVEL: 'debug', NODE_ENV: 'development' }).status).toBe('pass');
  });
});
