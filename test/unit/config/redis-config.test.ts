import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listSecrets } from '../../../src/config/list-secrets.js';
import { ConfigError, loadConfig } from '../../../src/config/load-config.js';
import { readRedisTarget } from '../../../src/redis/read-redis-target.js';
import { randomSecret } from '../../support/test-redis.js';

const TOKEN = randomSecret(40);
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function load(redisYaml: string, env: Record<string, string | undefined> = {}, more = '') {
  const dir = mkdtempSync(join(tmpdir(), 'warden-redis-config-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'config.yaml'), `alertmanager: { token: "\${WARDEN_WEBHOOK_TOKEN}" }\nredis:\n${redisYaml}\n${more}`);
  return loadConfig({ env: { WARDEN_WEBHOOK_TOKEN: TOKEN, ...env }, file: 'config.yaml', cwd: dir });
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('redis: Sentinel, Cluster and waiting for replicas', () => {
  it('reads Sentinels and the primary name, with passwords from the environment, into a Sentinel target', () => {
    const config = load(
      [
        '  sentinels: ["10.0.0.5:26379", "sentinel-2.internal:26380", "[fd00::7]:26379"]',
        '  name: warden-primary',
        '  username: warden',
        '  password: ${REDIS_PASSWORD}',
        '  sentinelPassword: ${REDIS_SENTINEL_PASSWORD}',
      ].join('\n'),
      { REDIS_PASSWORD: 'data-secret', REDIS_SENTINEL_PASSWORD: 'sentinel-secret' },
    );
    expect(readRedisTarget(config.redis)).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: '10.0.0.5', port: 26379 },
        { host: 'sentinel-2.internal', port: 26380 },
        { host: 'fd00::7', port: 26379 },
      ],
      name: 'warden-primary',
      username: 'warden',
      password: 'data-secret',
      sentinelPassword: 'sentinel-secret',
    });
    expect(listSecrets(config)).toEqual(expect.arrayContaining(['data-secret', 'sentinel-secret']));
  });

  it('reads cluster nodes into a Cluster target, and needs a hash-tagged prefix there', () => {
    const config = load('  cluster: { nodes: ["10.0.0.5:6379", "10.0.0.6:6379"] }\n  prefix: "{warden}"');
    expect(readRedisTarget(config.redis)).toEqual({ kind: 'cluster', nodes: [{ host: '10.0.0.5', port: 6379 }, { host: '10.0.0.6', port: 6379 }] });
    for (const [prefix, fix] of [['warden', '{warden}'], ['warden{}', '{warden}'], ['wd}{x', '{wdx}']]) {
      const problems = problemsOf(() => load(`  cluster: { nodes: ["10.0.0.5:6379"] }\n  prefix: "${prefix}"`));
      expect(problems).toEqual([expect.stringMatching(/^redis\.prefix \(line \d+\): must contain a hash tag with redis\.cluster/)]);
      expect(problems[0]).toContain(`write "${fix}"`);
    }
    expect(load('  cluster: { nodes: ["10.0.0.5:6379"] }\n  prefix: "wd:{warden}"').redis.prefix).toBe('wd:{warden}');
  });

  it('on a cluster, refuses a queue action on Warden\'s Redis whose prefix has no hash tag', () => {
    const actions = ['actions:', '  pause-tasks: { kind: queue, phase: isolate, title: Pause, queue: tasks, operation: pause, prefix: bull }'].join('\n');
    const problems = problemsOf(() => load('  cluster: { nodes: ["10.0.0.5:6379"] }\n  prefix: "{warden}"', {}, actions));
    expect(problems).toEqual([expect.stringMatching(/^actions\.pause-tasks\.prefix \(line \d+\): must contain a hash tag on Redis Cluster.*"\{bull\}"/)]);
  });

  it('refuses combinations that cannot both hold, naming the key and the fix', () => {
    expect(problemsOf(() => load('  url: redis://10.0.0.5:6379\n  sentinels: ["10.0.0.5:26379"]\n  name: p'))).toEqual([
      expect.stringMatching(/^redis\.url \(line \d+\): cannot be combined with redis\.sentinels.*remove one/),
    ]);
    expect(problemsOf(() => load('  sentinels: ["10.0.0.5:26379"]\n  name: p', { REDIS_URL: 'redis://10.0.0.9:6379' }))).toEqual([
      expect.stringMatching(/^redis\.url \(from REDIS_URL\): cannot be combined with redis\.sentinels/),
    ]);
    expect(problemsOf(() => load('  cluster: { nodes: ["10.0.0.5:6379"] }\n  prefix: "{w}"\n  sentinels: ["10.0.0.5:26379"]\n  name: p'))).toEqual([
      expect.stringMatching(/^redis\.cluster \(line \d+\): cannot be combined with redis\.sentinels/),
    ]);
    expect(problemsOf(() => load('  sentinels: ["10.0.0.5:26379"]'))).toEqual([expect.stringMatching(/^redis\.name \(line \d+\): required with redis\.sentinels: the master group name/)]);
    expect(problemsOf(() => load('  name: warden-primary'))).toEqual([expect.stringMatching(/^redis\.name \(line \d+\): is only used with redis\.sentinels/)]);
    expect(problemsOf(() => load('  url: redis://10.0.0.5:6379\n  password: ${REDIS_PASSWORD}', { REDIS_PASSWORD: 'x' }))).toEqual([
      expect.stringMatching(/^redis\.password \(line \d+\): is only used with redis\.sentinels or redis\.cluster; with redis\.url put the credentials into the URL/),
    ]);
    expect(problemsOf(() => load('  sentinels: ["10.0.0.5"]\n  name: p'))).toEqual([expect.stringMatching(/^redis\.sentinels\[0\] \(line \d+\): must be "host:port"/)]);
  });

  it('takes passwords only from the environment', () => {
    const problems = problemsOf(() => load('  cluster: { nodes: ["10.0.0.5:6379"] }\n  prefix: "{w}"\n  password: hunter2hunter2'));
    expect(problems).toEqual([expect.stringMatching(/^redis\.password \(line \d+\): secrets must come from the environment.*\$\{REDIS_PASSWORD\}/)]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('waitForReplicas: replicas at least 1, timeout 500 ms unless given', () => {
    expect(load('  waitForReplicas: { replicas: 1 }').redis.waitForReplicas).toEqual({ replicas: 1, timeoutMs: 500 });
    expect(load('  waitForReplicas: { replicas: 2, timeoutMs: 250 }').redis.waitForReplicas).toEqual({ replicas: 2, timeoutMs: 250 });
    expect(problemsOf(() => load('  waitForReplicas: { replicas: 0 }'))).toEqual([expect.stringMatching(/^redis\.waitForReplicas\.replicas/)]);
    expect(problemsOf(() => load('  waitForReplicas: { replicas: 1, timeoutMs: 60000 }'))).toEqual([expect.stringMatching(/^redis\.waitForReplicas\.timeoutMs/)]);
  });
});
