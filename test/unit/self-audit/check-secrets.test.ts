import { describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/config-schema.js';
import { checkSecrets } from '../../../src/self-audit/check-secrets.js';
import { buildConfig, buildContext, findingOf, goodSlack } from '../../support/self-audit-fixtures.js';
import { randomSecret } from '../../support/test-redis.js';

const goodLark = () => ({ appId: 'cli_a1', appSecret: randomSecret(32), encryptKey: randomSecret(32), verificationToken: randomSecret(32) });
const audit = (config: Config) => checkSecrets(buildContext({ config }));

describe('checkSecrets', () => {
  it('passes long secrets and reports their lengths, never their values', () => {
    const slack = goodSlack();
    const lark = goodLark();
    const hmacKey = randomSecret(48);
    const config = buildConfig({ slack, lark, audit: { hmacKey } });
    const findings = audit(config);
    expect(findings.every((f) => f.status === 'pass')).toBe(true);
    expect(findingOf(findings, 'webhook-token-length').finding).toBe('alertmanager.token is set, 40 characters');
    expect(findingOf(findings, 'slack-signing-secret-length').finding).toBe('slack.signingSecret is set, 32 characters');
    expect(findingOf(findings, 'audit-hmac-key-length').finding).toBe('audit.hmacKey is set, 48 characters');
    expect(findingOf(findings, 'integration-secrets').finding).toBe('alertmanager, slack, lark: every required secret is set');
    const text = JSON.stringify(findings);
    for (const secret of [slack.signingSecret, slack.botToken, lark.appSecret, lark.encryptKey, lark.verificationToken, hmacKey, config.alertmanager.token]) {
      expect(text).not.toContain(secret);
    }
  });

  it('fails short secrets, naming the key and the length', () => {
    const config = buildConfig({ slack: { ...goodSlack(), signingSecret: randomSecret(20) }, lark: { ...goodLark(), encryptKey: 'test key', verificationToken: randomSecret(10) } });
    const findings = audit(config);
    expect(findingOf(findings, 'slack-signing-secret-length')).toMatchObject({ status: 'fail', severity: 'high', finding: 'slack.signingSecret is set, 20 characters (fewer than 32)' });
    expect(findingOf(findings, 'lark-encrypt-key-length')).toMatchObject({ status: 'fail', severity: 'medium', finding: 'lark.encryptKey is set, 8 characters (fewer than 16)' });
    expect(findingOf(findings, 'lark-verification-token-length')).toMatchObject({ status: 'fail', finding: 'lark.verificationToken is set, 10 characters (fewer than 16)' });
  });

  it('fails a webhook token or HMAC key under 32 characters even though loading would refuse them', () => {
    const config = buildConfig({ audit: { hmacKey: randomSecret(32) } });
    const forged = { ...config, alertmanager: { ...config.alertmanager, token: randomSecret(31) }, audit: { ...config.audit, hmacKey: randomSecret(12) } } as Config;
    const findings = audit(forged);
    expect(findingOf(findings, 'webhook-token-length')).toMatchObject({ status: 'fail', finding: 'alertmanager.token is set, 31 characters (fewer than 32)' });
    expect(findingOf(findings, 'audit-hmac-key-length')).toMatchObject({ status: 'fail', finding: 'audit.hmacKey is set, 12 characters (fewer than 32)' });
  });

  it('skips the secrets of integrations that are off, and says why the HMAC key check is skipped', () => {
    const findings = audit(buildConfig());
    expect(findingOf(findings, 'slack-signing-secret-length')).toMatchObject({ status: 'skip', finding: 'Slack is not enabled' });
    expect(findingOf(findings, 'lark-encrypt-key-length')).toMatchObject({ status: 'skip', finding: 'Lark is not enabled' });
    expect(findingOf(findings, 'audit-hmac-key-length').status).toBe('skip');
    expect(findingOf(findings, 'audit-hmac-key-length').finding).toContain('audit.hmacKey is not set');
    expect(findingOf(findings, 'integration-secrets')).toMatchObject({ status: 'pass', finding: 'alertmanager: every required secret is set' });
  });

  it('fails, critical, an enabled integration whose secrets are missing or empty (a config object loading would refuse)', () => {
    const config = buildConfig({ slack: goodSlack(), lark: goodLark() });
    const forged = { ...config, slack: { ...config.slack, signingSecret: '' }, lark: { appId: 'cli_a1', encryptKey: randomSecret(32) } } as unknown as Config;
    const finding = findingOf(audit(forged), 'integration-secrets');
    expect(finding).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(finding.finding).toContain('enabled but without a value: slack.signingSecret, lark.appSecret, lark.verificationToken');
  });
});
