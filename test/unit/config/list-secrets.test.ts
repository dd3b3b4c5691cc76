import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listSecrets } from '../../../src/config/list-secrets.js';
import { loadConfig } from '../../../src/config/load-config.js';

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
        // The Basic credentials Warden sends for the probe's URL user-info.
        Buffer.from('probe:probe-pass').toString('base64'),
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

  it('adds every value loadConfig substituted from the environment but those at keys that are not secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-list-secrets-'));
    const file = join(dir, 'warden.config.yaml');
    writeFileSync(
      file,
      [
        'server: { host: "${BIND}" }',
        'redis: { url: "redis://:${REDIS_PASS}@${REDIS_HOST}:6379", prefix: "${PREFIX}" }',
        'alertmanager: { token: "${WARDEN_WEBHOOK_TOKEN}" }',
        'actions:',
        '  fw:',
        '    kind: http',
        '    phase: isolate',
        '    title: "${FW_TITLE}"',
        '    request: { url: "https://fw.example/block?tenant=${FW_TENANT}", body: { apiKey: "${FW_BODY_KEY}", note: "for ${FW_NOTE}" } }',
        '  run:',
        '    kind: exec',
        '    phase: recover',
        '    title: Run',
        '    argv: ["/usr/bin/true", "--key=${EXEC_KEY}"]',
        '  prom:',
        '    kind: prometheus',
        '    phase: analyze',
        '    title: Prom',
        '    url: "http://prom:9090"',
        '    query: \'up{job="${PROM_JOB}"}\'',
      ].join('\n'),
    );
    const env = {
      BIND: '127.0.0.1',
      REDIS_PASS: 'redis-env-pass',
      REDIS_HOST: 'redis.internal',
      PREFIX: 'warden-prefix',
      WARDEN_WEBHOOK_TOKEN: TOKEN,
      FW_TITLE: 'Block the host',
      FW_TENANT: 'tenant-canary-1',
      FW_BODY_KEY: 'body-canary-2',
      FW_NOTE: 'note-canary-3',
      EXEC_KEY: 'argv-canary-4',
      PROM_JOB: 'probe-canary-5',
    };
    const secrets = listSecrets(loadConfig({ file, env }));
    for (const value of ['redis-env-pass', 'tenant-canary-1', 'body-canary-2', 'note-canary-3', 'argv-canary-4', 'probe-canary-5']) expect(secrets).toContain(value);
    for (const value of ['127.0.0.1', 'redis.internal', 'warden-prefix', 'Block the host']) expect(secrets).not.toContain(value);
  });

  it('refuses a value from the environment in an action that is too short to be masked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-list-secrets-'));
    const file = join(dir, 'warden.config.yaml');
    writeFileSync(file, 'alertmanager: { token: "${T}" }\nactions:\n  run: { kind: exec, phase: recover, title: Run, argv: ["/usr/bin/true", "${SHORT}"] }\n');
    expect(() => loadConfig({ file, env: { T: TOKEN, SHORT: 'abc1234' } })).toThrow(/actions\.run\.argv\[1\] \(line 3\): \$\{SHORT\} is 7 characters/);
    expect(() => loadConfig({ file, env: { T: TOKEN, SHORT: 'abcd1234' } })).not.toThrow();
  });

  it('never throws on a Redis URL it cannot parse', () => {
    const config = configSchema.parse({ alertmanager: { token: TOKEN } });
    // Bad percent-encoding: the password is still redacted as written.
    expect(listSecrets(config, 'redis://:%E0%A4%A@host')).toEqual([TOKEN, '%E0%A4%A']);
    expect(listSecrets(config, 'not a url')).toEqual([TOKEN]);
  });
});
