import type { Config } from './config-schema.js';
import { listBasicCredentials } from './list-basic-credentials.js';
import { listEnvSecrets } from './list-env-secrets.js';
import { listUrlSecrets } from './list-url-secrets.js';
import { SECRET_HEADER } from './secret-header.js';

/**
 * Every secret value in a configuration, for the scrubbers of logs, results and audit entries
 * (values, never names, are matched): the fixed secret keys, header values named like secrets,
 * credentials in URLs (for http targets and Prometheus also as the Basic credentials made of them),
 * and every value `loadConfig` substituted from the environment (see `selectEnvSecrets` for the
 * keys that are not secret).
 */
export function listSecrets(config: Config, redisUrl?: string): string[] {
  const secrets: (string | undefined)[] = [
    config.alertmanager.token,
    config.api.readToken,
    config.slack?.signingSecret,
    config.slack?.botToken,
    config.slack?.appToken,
    config.lark?.appSecret,
    config.lark?.encryptKey,
    config.lark?.verificationToken,
    config.audit.hmacKey,
    config.console.slackSignIn?.clientSecret,
    config.console.slackSignIn?.sessionKey,
    config.console.larkSignIn?.appSecret,
    config.console.larkSignIn?.sessionKey,
    config.redis.password,
    config.redis.sentinelPassword,
    ...listUrlSecrets(config.redis.url),
    ...listUrlSecrets(redisUrl),
    ...listEnvSecrets(config),
  ];
  for (const [name, value] of Object.entries(config.audit.checkpoint.headers)) if (SECRET_HEADER.test(name)) secrets.push(value);
  secrets.push(...listUrlSecrets(config.audit.checkpoint.url));
  secrets.push(...listUrlSecrets(config.alertmanager.apiUrl), ...listBasicCredentials(config.alertmanager.apiUrl));
  for (const action of Object.values(config.actions)) {
    if (action.kind === 'http') {
      for (const [name, value] of Object.entries(action.request.headers)) if (SECRET_HEADER.test(name)) secrets.push(value);
      secrets.push(...listUrlSecrets(action.request.url), ...listBasicCredentials(action.request.url));
    } else if (action.kind === 'http-check' || action.kind === 'prometheus') {
      secrets.push(...listUrlSecrets(action.url), ...listBasicCredentials(action.url));
    } else if (action.kind === 'queue') {
      secrets.push(...listUrlSecrets(action.redis));
    }
  }
  return [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length > 0))];
}
