import type { Config } from './config-schema.js';
import { SECRET_HEADER } from './secret-header.js';

const SECRET_PARAM = /^(token|access_token|api[-_]?key|key|secret|password|signature)$/i;

/** Credentials inside a URL: the user-info password (decoded and as written) and secret-looking query values. */
function listUrlSecrets(url: string | undefined): string[] {
  if (!url) return [];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const found: string[] = [];
  if (parsed.password) {
    found.push(parsed.password);
    try {
      found.push(decodeURIComponent(parsed.password));
    } catch {
      // not valid percent-encoding: the raw form is already listed
    }
  }
  for (const [name, value] of parsed.searchParams) if (SECRET_PARAM.test(name) && value) found.push(value);
  return found;
}

/** Every secret value in a configuration, for the log scrubber (values, never names, are matched). */
export function listSecrets(config: Config, redisUrl?: string): string[] {
  const secrets: (string | undefined)[] = [
    config.alertmanager.token,
    config.slack?.signingSecret,
    config.slack?.botToken,
    config.slack?.appToken,
    config.lark?.appSecret,
    config.lark?.encryptKey,
    config.lark?.verificationToken,
    config.audit.hmacKey,
    ...listUrlSecrets(config.redis.url),
    ...listUrlSecrets(redisUrl),
  ];
  for (const action of Object.values(config.actions)) {
    if (action.kind === 'http') {
      for (const [name, value] of Object.entries(action.request.headers)) if (SECRET_HEADER.test(name)) secrets.push(value);
      secrets.push(...listUrlSecrets(action.request.url));
    } else if (action.kind === 'http-check' || action.kind === 'prometheus') {
      secrets.push(...listUrlSecrets(action.url));
    } else if (action.kind === 'queue') {
      secrets.push(...listUrlSecrets(action.redis));
    }
  }
  return [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length > 0))];
}
