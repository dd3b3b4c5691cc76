import { listSecrets } from '../config/list-secrets.js';
import { createLogger } from '../observability/create-logger.js';
import type { SelfAuditContext } from './self-audit-context.js';
import type { SelfAuditCheck, SelfAuditFinding } from './self-audit-finding.js';
import { listUrlSecrets } from '../config/list-url-secrets.js';
import { listSecretFields } from './list-secret-fields.js';
import { toFinding } from './to-finding.js';

const REDACTION: SelfAuditCheck = {
  id: 'log-redaction',
  title: 'The logger redacts every configured secret',
  severity: 'high',
  fix: 'list the secret in listSecrets (src/config/list-secrets.ts) and give its key a secret-like name (…Token, …Secret, …Key, Authorization) so SECRET_KEY in src/observability/create-logger.ts matches it; a secret under 8 characters cannot be scrubbed from messages: make it longer',
};
const LEVEL: SelfAuditCheck = {
  id: 'log-level',
  title: 'LOG_LEVEL is not debug or trace in production',
  severity: 'low',
  fix: 'unset LOG_LEVEL or set LOG_LEVEL=info; keep debug for NODE_ENV=development',
};

/** The three ways a secret reaches a log line: as a config field, in a message, inside an error. */
const PROBES: readonly [string, (logger: ReturnType<typeof createLogger>, config: unknown, secret: string) => void][] = [
  ['as a config field', (logger, config) => logger.info({ config }, 'configuration')],
  ['in a log message', (logger, _config, secret) => logger.info(`calling the API with ${secret}`)],
  ['in an error', (logger, _config, secret) => logger.error({ err: new Error(`request refused for ${secret}`) }, 'request failed')],
];

/** Each secret place of the configuration with the values to look for: URLs without credentials hold none. */
function listLoggedSecrets(config: SelfAuditContext['config']): { key: string; secrets: string[] }[] {
  return listSecretFields(config).flatMap((field) => {
    if (typeof field.value !== 'string') return [];
    const secrets = field.kind === 'url' ? listUrlSecrets(field.value) : [field.value];
    return secrets.length > 0 ? [{ key: field.key, secrets }] : [];
  });
}

// Logs through a logger built as `warden serve` builds it, into memory: what is found is what would be written.
function findLeaks(config: SelfAuditContext['config'], secrets: string[], known: string[]): string[] {
  return PROBES.filter(([, probe]) => {
    let output = '';
    const logger = createLogger({ level: 'info', secrets: known, destination: { write: (line: string) => void (output += line) } });
    return secrets.some((secret) => {
      probe(logger, config, secret);
      return output.includes(secret);
    });
  }).map(([name]) => name);
}

function checkRedaction(config: SelfAuditContext['config']): SelfAuditFinding {
  const known = listSecrets(config);
  const fields = listLoggedSecrets(config);
  const unlisted = fields.filter((field) => field.secrets.some((secret) => !known.includes(secret))).map((field) => field.key);
  const leaks = fields.flatMap((field) => {
    const where = findLeaks(config, field.secrets, known);
    return where.length > 0 ? [`${field.key} (${where.join(', ')})`] : [];
  });
  if (leaks.length === 0 && unlisted.length === 0) {
    return toFinding(REDACTION, 'pass', `${fields.length} secret(s) logged as fields, in messages and in errors: all redacted (${fields.map((f) => f.key).join(', ')})`);
  }
  const parts = [
    leaks.length > 0 ? `shown in logs: ${leaks.join(', ')}` : '',
    unlisted.length > 0 ? `missing from listSecrets (the scrubber's list): ${unlisted.join(', ')}` : '',
  ];
  return toFinding(REDACTION, 'fail', parts.filter(Boolean).join('; '));
}

function checkLevel(env: SelfAuditContext['env']): SelfAuditFinding {
  const level = env.LOG_LEVEL || 'info';
  const production = env.NODE_ENV !== 'development';
  const seen = `LOG_LEVEL=${level}, NODE_ENV=${env.NODE_ENV ?? '(unset)'}`;
  if ((level === 'debug' || level === 'trace') && production) {
    return toFinding(LEVEL, 'fail', `${seen}: debug lines carry request and job details in production`);
  }
  return toFinding(LEVEL, 'pass', seen);
}

/** Logging checks: every configured secret is redacted by the real logger, and the log level suits production. */
export function checkLogging(context: SelfAuditContext): SelfAuditFinding[] {
  return [checkRedaction(context.config), checkLevel(context.env)];
}
