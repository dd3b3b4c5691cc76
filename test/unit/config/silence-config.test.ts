import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.js';
import { listSecrets } from '../../../src/config/list-secrets.js';
import { buildTestConfig } from '../../support/start-test-warden.js';

const token = 'x'.repeat(32);

function problems(tree: Record<string, unknown>): string[] {
  const result = configSchema.safeParse(tree);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('alertmanager.apiUrl and alertmanager.silence', () => {
  it('defaults: no apiUrl, 2 h silences, approval past 4 h, expiry on resolve', () => {
    const config = buildTestConfig({ alertmanager: { token } });
    expect(config.alertmanager.apiUrl).toBeUndefined();
    expect(config.alertmanager.silence).toEqual({ defaultDuration: 2 * 3_600_000, maxWithoutApproval: 4 * 3_600_000, expireOnResolve: true });
  });

  it('reads durations and a per-route silenceDuration', () => {
    const config = buildTestConfig({
      alertmanager: { token, apiUrl: 'http://127.0.0.1:9093', silence: { defaultDuration: '30m', maxWithoutApproval: '1d', expireOnResolve: false } },
      routes: [{ to: ['slack:C0SEC'], silenceDuration: '1h30m' }],
    });
    expect(config.alertmanager.silence).toEqual({ defaultDuration: 30 * 60_000, maxWithoutApproval: 86_400_000, expireOnResolve: false });
    expect(config.routes[0]!.silenceDuration).toBe(90 * 60_000);
  });

  it('says how to fix a bad duration, URL or a default past the approval limit', () => {
    expect(problems({ alertmanager: { token, silence: { defaultDuration: 'two hours' } } })).toEqual([expect.stringMatching(/^alertmanager\.silence\.defaultDuration: must be a duration such as "30m"/)]);
    expect(problems({ alertmanager: { token, apiUrl: 'ftp://am' } })).toEqual([expect.stringMatching(/^alertmanager\.apiUrl: must be an http\(s\) URL/)]);
    expect(problems({ alertmanager: { token, silence: { defaultDuration: '8h' } } })).toEqual([expect.stringMatching(/^alertmanager\.silence\.defaultDuration: is longer than maxWithoutApproval/)]);
    expect(problems({ alertmanager: { token, silence: { forever: true } } })).toHaveLength(1);
  });

  it("counts apiUrl's password (and its Basic credentials) as secrets", () => {
    const config = buildTestConfig({ alertmanager: { token, apiUrl: 'http://warden:s3cret-passw0rd@127.0.0.1:9093' } });
    expect(listSecrets(config)).toEqual(expect.arrayContaining(['s3cret-passw0rd', Buffer.from('warden:s3cret-passw0rd').toString('base64')]));
  });
});
