import type { Config } from './config-schema.js';

/** Every secret value in a configuration, for the log scrubber (values, never names, are matched). */
export function listSecrets(config: Config, redisUrl?: string): string[] {
  const secrets = [
    config.alertmanager.token,
    config.slack?.signingSecret,
    config.slack?.botToken,
    config.slack?.appToken,
    config.lark?.appSecret,
    config.lark?.encryptKey,
    config.lark?.verificationToken,
    config.audit.hmacKey,
  ];
  for (const action of Object.values(config.actions)) {
    if (action.kind === 'http') secrets.push(...Object.values(action.request.headers));
  }
  for (const url of [config.redis.url, redisUrl]) {
    if (!url) continue;
    try {
      const parsed = new URL(url);
      if (parsed.password) secrets.push(decodeURIComponent(parsed.password));
    } catch {
      // not a URL: nothing to extract
    }
  }
  return secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
}
