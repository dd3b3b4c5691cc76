import { describe, expect, it } from 'vitest';
import { checkConfigLiterals } from '../../../src/self-audit/check-config-literals.js';
import { buildContext, findingOf } from '../../support/self-audit-fixtures.js';

const LITERAL = '0123456789abcdef0123456789abcdef';

function scan(lines: string[]) {
  return findingOf(checkConfigLiterals(buildContext({ configText: lines.join('\n'), configPath: '/etc/warden/warden.config.yaml' })), 'config-literal-secrets');
}

const GOOD = [
  'alertmanager: { token: "${WARDEN_WEBHOOK_TOKEN}" }',
  'redis: { url: "redis://warden:${REDIS_PASSWORD}@10.0.0.5:6379" }',
  'slack: { signingSecret: "${SLACK_SIGNING_SECRET}", botToken: "${SLACK_BOT_TOKEN}" }',
  'lark: { appId: cli_a1, appSecret: "${LARK_APP_SECRET}", encryptKey: "${LARK_ENCRYPT_KEY}", verificationToken: "${LARK_VERIFICATION_TOKEN}" }',
  'audit: { hmacKey: "${WARDEN_AUDIT_KEY}" }',
  'actions:',
  '  isolate:',
  '    kind: http',
  '    request: { url: "https://fw.example/api?token=${FW_TOKEN}", headers: { Authorization: "Bearer ${FIREWALL_TOKEN}", X-Api-Key: "${FW_KEY}", Accept: application/json } }',
];

describe('checkConfigLiterals', () => {
  it('passes a file whose secrets are all ${ENV} references', () => {
    expect(scan(GOOD)).toMatchObject({ status: 'pass', finding: '/etc/warden/warden.config.yaml: every secret key is a ${ENV} reference' });
  });

  it.each([
    ['alertmanager.token (line 1)', 0, `alertmanager: { token: "${LITERAL}" }`],
    ['redis.url (line 2)', 1, `redis: { url: "redis://:${LITERAL}@10.0.0.5:6379" }`],
    ['slack.signingSecret (line 3)', 2, `slack: { signingSecret: "${LITERAL}", botToken: "\${SLACK_BOT_TOKEN}" }`],
    ['lark.encryptKey (line 4)', 3, `lark: { appId: cli_a1, appSecret: "\${LARK_APP_SECRET}", encryptKey: ${LITERAL}, verificationToken: "\${LARK_VERIFICATION_TOKEN}" }`],
    ['audit.hmacKey (line 5)', 4, `audit: { hmacKey: "prefix-\${WARDEN_AUDIT_KEY}" }`],
    ['actions.isolate.request.headers.Authorization (line 9)', 8, `    request: { url: "https://fw.example/", headers: { Authorization: "Bearer ${LITERAL}" } }`],
    ['actions.isolate.request.headers.X-Key (line 9)', 8, `    request: { url: "https://fw.example/", headers: { X-Key: "${LITERAL}" } }`],
    ['actions.isolate.request.url (line 9)', 8, `    request: { url: "https://fw.example/api?api_key=${LITERAL}" }`],
  ])('fails, critical, a literal at %s, without showing it', (where, line, replacement) => {
    const lines = [...GOOD];
    lines[line] = replacement;
    const finding = scan(lines);
    expect(finding).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(finding.finding).toBe(`/etc/warden/warden.config.yaml has secrets written literally at ${where}`);
    expect(JSON.stringify(finding)).not.toContain(LITERAL);
  });

  it('lists every literal at once', () => {
    const finding = scan([`alertmanager: { token: ${LITERAL} }`, `slack: { signingSecret: ${LITERAL}, botToken: xoxb-${LITERAL} }`]);
    expect(finding.finding).toContain('at alertmanager.token (line 1), slack.signingSecret (line 2), slack.botToken (line 2)');
  });

  it('skips without a config file, with an unreadable one and with invalid YAML', () => {
    expect(findingOf(checkConfigLiterals(buildContext()), 'config-literal-secrets')).toMatchObject({ status: 'skip', finding: 'no config file: the configuration comes from the environment' });
    const unreadable = findingOf(checkConfigLiterals(buildContext({ configPath: '/nonexistent/warden.yaml' })), 'config-literal-secrets');
    expect(unreadable.status).toBe('skip');
    expect(unreadable.finding).toMatch(/^cannot read the config file: ENOENT/);
    const invalid = scan(['alertmanager: {', '  token: [']);
    expect(invalid.status).toBe('skip');
    expect(invalid.finding).toMatch(/^the config file is not valid YAML \(line \d+\)/);
  });
});
