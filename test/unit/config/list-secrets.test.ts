import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.js';
import { listSecrets } from '../../../src/config/list-secrets.js';

const TOKEN = 'w'.repeat(40);

describe('listSecrets', () => {
  it('lists every secret of a full configuration', () => {
    const config = configSchema.parse({
      redis: { url: 'redis://warden:redis%40pass@redis.internal:6379/0' },
      alertmanager: { token: TOKEN },
      slack: { signingSecret: 'slack-signing', botToken: 'xoxb-bot', appToken: 'xapp-app' },
      lark: { appId: 'cli_1', appSecret: 'lark-secret', encryptKey: 'lark-encrypt', verificationToken: 'lark-verify' },
      audit: { hmacKey: 'h'.repeat(32) },
      actions: {
        fw: {
          kind: 'http',
          phase: 'isolate',
          title: 'FW',
          request: { url: 'https://fw/?api_key=fw-query-key', headers: { Authorization: 'Bearer fw-token', 'Content-Type': 'application/json' } },
        },
        up: { kind: 'http-check', phase: 'analyze', title: 'Up', url: 'http://probe:probe-pass@h/' },
        prom: { kind: 'prometheus', phase: 'analyze', title: 'Prom', url: 'http://prom:9090/?token=prom-token', query: 'up' },
      },
    });
    expect(listSecrets(config).sort()).toEqual(
      [
        TOKEN,
        'slack-signing',
        'xoxb-bot',
        'xapp-app',
        'lark-secret',
        'lark-encrypt',
        'lark-verify',
        'h'.repeat(32),
        'Bearer fw-token',
        'fw-query-key',
        'probe-pass',
        'prom-token',
        'redis%40pass',
        'redis@pass',
      ].sort(),
    );
    // Ordinary header values are not secrets: redacting them would blank common words from logs.
    expect(listSecrets(config)).not.toContain('application/json');
    // The Lark app id is an identifier, not a secret.
    expect(listSecrets(config)).not.toContain('cli_1');
  });

  it('adds the password of the Redis URL actually used, and nothing for URLs without one', () => {
    const config = configSchema.parse({ alertmanager: { token: TOKEN } });
    expect(listSecrets(config)).toEqual([TOKEN]);
    expect(listSecrets(config, 'rediss://:p%2Fw%3Ad@r:6380')).toEqual([TOKEN, 'p%2Fw%3Ad', 'p/w:d']);
    expect(listSecrets(config, 'redis://127.0.0.1:6379')).toEqual([TOKEN]);
    expect(listSecrets(config, 'unix:///run/redis.sock')).toEqual([TOKEN]);
  });

  it('never throws on a Redis URL it cannot parse', () => {
    const config = configSchema.parse({ alertmanager: { token: TOKEN } });
    // Bad percent-encoding: the password is still redacted as written.
    expect(listSecrets(config, 'redis://:%E0%A4%A@host')).toEqual([TOKEN, '%E0%A4%A']);
    expect(listSecrets(config, 'not a url')).toEqual([TOKEN]);
  });
});
