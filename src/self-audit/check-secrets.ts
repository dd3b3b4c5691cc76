import type { SelfAuditContext } from './self-audit-context.js';
import type { SelfAuditCheck, SelfAuditFinding } from './self-audit-finding.js';
import { toFinding } from './to-finding.js';

/** A secret whose length is checked when it is set. */
interface LengthRule {
  check: SelfAuditCheck;
  key: string;
  min: number;
  read: (config: SelfAuditContext['config']) => unknown;
  /** Why the check is skipped when the secret is absent. */
  absent: string;
}

const RULES: readonly LengthRule[] = [
  {
    check: {
      id: 'webhook-token-length',
      title: 'The Alertmanager webhook token has at least 32 characters',
      severity: 'high',
      fix: 'export WARDEN_WEBHOOK_TOKEN=$(openssl rand -hex 32) and give Alertmanager the same value',
    },
    key: 'alertmanager.token',
    min: 32,
    read: (config) => config.alertmanager?.token,
    absent: 'alertmanager.token is not set',
  },
  {
    check: {
      id: 'slack-signing-secret-length',
      title: 'The Slack signing secret has at least 32 characters',
      severity: 'high',
      fix: 'copy the Signing Secret from the Slack app (Basic Information) into SLACK_SIGNING_SECRET; regenerate it there if it was shortened',
    },
    key: 'slack.signingSecret',
    min: 32,
    read: (config) => config.slack?.signingSecret,
    absent: 'Slack is not enabled',
  },
  {
    check: {
      id: 'lark-encrypt-key-length',
      title: 'The Lark encrypt key has at least 16 characters',
      severity: 'medium',
      fix: 'generate a new Encrypt Key in the Lark developer console (Events & Callbacks → Encryption strategy) and put it into LARK_ENCRYPT_KEY',
    },
    key: 'lark.encryptKey',
    min: 16,
    read: (config) => config.lark?.encryptKey,
    absent: 'Lark is not enabled',
  },
  {
    check: {
      id: 'lark-verification-token-length',
      title: 'The Lark verification token has at least 16 characters',
      severity: 'medium',
      fix: 'reset the Verification Token in the Lark developer console and put it into LARK_VERIFICATION_TOKEN',
    },
    key: 'lark.verificationToken',
    min: 16,
    read: (config) => config.lark?.verificationToken,
    absent: 'Lark is not enabled',
  },
  {
    check: {
      id: 'audit-hmac-key-length',
      title: 'The audit log HMAC key has at least 32 characters',
      severity: 'high',
      fix: 'export WARDEN_AUDIT_KEY=$(openssl rand -hex 32) (audit.hmacKey: ${WARDEN_AUDIT_KEY}); entries written with the old key verify only with it',
    },
    key: 'audit.hmacKey',
    min: 32,
    read: (config) => config.audit?.hmacKey,
    absent: 'audit.hmacKey is not set: the chain uses plain SHA-256, so whoever can write the file can rewrite it consistently; set audit.hmacKey: ${WARDEN_AUDIT_KEY} to key it',
  },
];

const PENDING_TOKEN = 'no webhook token yet: without a config file and WARDEN_WEBHOOK_TOKEN, warden serve generates one into data/webhook-token on its first start';

const INTEGRATION_SECRETS: SelfAuditCheck = {
  id: 'integration-secrets',
  title: 'Every enabled integration has all its secrets',
  severity: 'critical',
  fix: 'export the missing variables (SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, LARK_APP_ID, LARK_APP_SECRET, LARK_ENCRYPT_KEY, LARK_VERIFICATION_TOKEN), or remove the block of an integration you do not use',
};

/** Required secrets of each integration, by config block. */
const REQUIRED: Record<'alertmanager' | 'slack' | 'lark', readonly string[]> = {
  alertmanager: ['token'],
  slack: ['signingSecret', 'botToken'],
  lark: ['appId', 'appSecret', 'encryptKey', 'verificationToken'],
};

function checkLength(rule: LengthRule, config: SelfAuditContext['config']): SelfAuditFinding {
  const value = rule.read(config);
  if (typeof value !== 'string' || value === '') return toFinding(rule.check, 'skip', rule.absent);
  const evidence = `${rule.key} is set, ${value.length} characters`;
  return value.length >= rule.min
    ? toFinding(rule.check, 'pass', evidence)
    : toFinding(rule.check, 'fail', `${evidence} (fewer than ${rule.min})`);
}

// Loading refuses such a configuration, but a Config object can reach the audit by other ways.
function checkIntegrationSecrets(config: SelfAuditContext['config']): SelfAuditFinding {
  const enabled = (Object.keys(REQUIRED) as (keyof typeof REQUIRED)[]).filter((block) => config[block] !== undefined && config[block] !== null);
  const missing = enabled.flatMap((block) => {
    const values = config[block] as Record<string, unknown>;
    // Over the long connection Lark neither signs nor encrypts for a route: only the app's credentials are needed.
    const required = block === 'lark' && config.lark?.transport === 'websocket' ? ['appId', 'appSecret'] : REQUIRED[block];
    return required.filter((key) => typeof values[key] !== 'string' || values[key] === '').map((key) => `${block}.${key}`);
  });
  if (missing.length > 0) {
    return toFinding(INTEGRATION_SECRETS, 'fail', `enabled but without a value: ${missing.join(', ')}; such a verifier would fail open or not at all`);
  }
  return toFinding(INTEGRATION_SECRETS, 'pass', `${enabled.join(', ')}: every required secret is set`);
}

/** Secret checks: lengths of the secrets that are set, and enabled integrations without their secrets. */
export function checkSecrets(context: SelfAuditContext): SelfAuditFinding[] {
  const pending = (rule: LengthRule) => context.webhookTokenPending && rule.key === 'alertmanager.token';
  return [
    ...RULES.map((rule) => (pending(rule) ? toFinding(rule.check, 'skip', PENDING_TOKEN) : checkLength(rule, context.config))),
    checkIntegrationSecrets(context.config),
  ];
}
