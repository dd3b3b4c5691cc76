import { describe, expect, it } from 'vitest';
import { formatConfigPath } from '../../../src/config/format-config-path.js';
import { BUILTIN_PROBE_KINDS } from '../../../src/config/probe-spec-fields.js';
import { probeSpecSchema } from '../../../src/probes/probe-spec-schema.js';

/** Each problem as `path: message`, or [] when the spec is valid. */
function problems(spec: unknown): string[] {
  const result = probeSpecSchema.safeParse(spec);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${formatConfigPath(issue.path)}: ${issue.message}`);
}

describe('probeSpecSchema', () => {
  it('accepts each of the ten kinds and fills in the defaults', () => {
    const parse = (spec: unknown) => probeSpecSchema.parse(spec);
    expect(parse({ kind: 'http-check', url: 'http://127.0.0.1:8080/healthz' })).toEqual({ kind: 'http-check', url: 'http://127.0.0.1:8080/healthz', method: 'GET', timeoutSeconds: 10 });
    expect(parse({ kind: 'prometheus', url: 'http://127.0.0.1:9090', query: 'up == 0', threshold: 0 })).toEqual({
      kind: 'prometheus',
      url: 'http://127.0.0.1:9090',
      query: 'up == 0',
      threshold: 0,
      timeoutSeconds: 10,
    });
    expect(parse({ kind: 'tls-expiry', host: 'api.example.org' })).toEqual({ kind: 'tls-expiry', host: 'api.example.org', port: 443, minDays: 21, timeoutSeconds: 10 });
    expect(parse({ kind: 'disk-usage', path: './data', maxPercent: 85 })).toEqual({ kind: 'disk-usage', path: './data', maxPercent: 85, timeoutSeconds: 10 });
    expect(parse({ kind: 'disk-usage', path: '/var/log', maxBytes: '10 GiB' })).toMatchObject({ maxBytes: 10 * 2 ** 30 });
    expect(parse({ kind: 'file-mode', path: '/etc/warden/config.yaml', maxMode: '0640', owner: 'warden', group: 0 })).toEqual({
      kind: 'file-mode',
      path: '/etc/warden/config.yaml',
      maxMode: '0640',
      owner: 'warden',
      group: 0,
      timeoutSeconds: 10,
    });
    expect(parse({ kind: 'newest-file-age', path: '/backups', maxAgeHours: 26, pattern: '^backup-.*\\.tar\\.gz$' })).toMatchObject({ maxAgeHours: 26, pattern: '^backup-.*\\.tar\\.gz$' });
    expect(parse({ kind: 'process-user' })).toEqual({ kind: 'process-user', forbidRoot: true, timeoutSeconds: 10 });
    expect(parse({ kind: 'audit-count', types: ['inbound.rejected', 'access.denied'] })).toEqual({
      kind: 'audit-count',
      types: ['inbound.rejected', 'access.denied'],
      windowHours: 24,
      max: 0,
      timeoutSeconds: 10,
    });
    expect(parse({ kind: 'redis-config' })).toEqual({ kind: 'redis-config', persistence: 'any', maxmemoryPolicy: 'noeviction', requireAuth: false, timeoutSeconds: 10 });
    expect(parse({ kind: 'self-audit', timeoutSeconds: 60 })).toEqual({ kind: 'self-audit', timeoutSeconds: 60 });
  });

  it('gives the same result when a parsed spec is parsed again', () => {
    const specs = [
      { kind: 'disk-usage', path: '/var/log', maxBytes: '1.5 GB' },
      { kind: 'file-mode', path: 'x', maxMode: '600' },
      { kind: 'tls-expiry', host: '127.0.0.1', port: 8443 },
      { kind: 'redis-config', persistence: 'aof' },
    ];
    for (const spec of specs) {
      const once = probeSpecSchema.parse(spec);
      expect(probeSpecSchema.parse(once)).toEqual(once);
    }
  });

  it('names the kinds when the kind is unknown or missing', () => {
    const message = `kind: kind must be one of http-check, prometheus, ${BUILTIN_PROBE_KINDS.join(', ')}`;
    expect(problems({ kind: 'ping', host: 'x' })).toEqual([message]);
    expect(problems({ path: './data' })).toEqual([message]);
    expect(BUILTIN_PROBE_KINDS).toHaveLength(8);
  });

  it.each([
    ['a missing host', { kind: 'tls-expiry' }, ['host: required: a host name or IP address, e.g. "api.example.org"']],
    [
      'a URL as host and a bad port',
      { kind: 'tls-expiry', host: 'https://api.example.org', port: 70000 },
      ['host: must be a bare host name or IP address, without scheme, port or path, e.g. "api.example.org" (the port goes in port)', 'port: must be at most 65535 (a TCP port)'],
    ],
    ['an IP address as servername', { kind: 'tls-expiry', host: 'a.example', servername: '10.0.0.1' }, ['servername: must be a host name, not an IP address, e.g. "api.example.org"']],
    ['negative minDays', { kind: 'tls-expiry', host: 'a.example', minDays: -1 }, ['minDays: must be at least 0 (days the certificate must still be valid)']],
    [
      'neither maxPercent nor maxBytes',
      { kind: 'disk-usage', path: './data' },
      ['maxPercent: a disk-usage check needs maxPercent (file system usage, e.g. 85), maxBytes (size of the files under path, e.g. "10 GiB"), or both'],
    ],
    ['a percent above 100', { kind: 'disk-usage', path: './data', maxPercent: 120 }, ['maxPercent: must be at most 100 (percent of the file system in use)']],
    ['a size without a known unit', { kind: 'disk-usage', path: './data', maxBytes: '10 GB/s' }, ['maxBytes: must be a size in bytes or with a unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), e.g. "10 GiB"']],
    ['an empty path', { kind: 'disk-usage', path: '', maxPercent: 80 }, ['path: is empty; give the path of a file or directory (relative paths start from Warden’s working directory), e.g. "./data"']],
    ['an unquoted mode', { kind: 'file-mode', path: 'x', maxMode: 640 }, ['maxMode: must be an octal mode in quotes, e.g. "640" (unquoted, YAML reads it as a decimal number)']],
    ['a mode with an 8', { kind: 'file-mode', path: 'x', maxMode: '680' }, ['maxMode: must be an octal mode of 3 or 4 digits 0–7 in quotes, e.g. "640" or "0600"']],
    ['a user name with a space', { kind: 'file-mode', path: 'x', maxMode: '600', owner: 'the admin' }, ['owner: must be a user name or a numeric id, e.g. "warden" or 0']],
    ['a negative gid', { kind: 'file-mode', path: 'x', maxMode: '600', group: -1 }, ['group: must be a group name or a numeric id, e.g. "warden" or 0']],
    ['a missing maxAgeHours', { kind: 'newest-file-age', path: '/backups' }, ['maxAgeHours: required: hours since the newest file was modified, e.g. 26']],
    [
      'an unanchored pattern',
      { kind: 'newest-file-age', path: '/backups', maxAgeHours: 26, pattern: 'backup' },
      ['pattern: must be a valid regular expression on file names anchored with ^ and $, e.g. "^backup-.*\\.tar\\.gz$"'],
    ],
    ['forbidRoot as a string', { kind: 'process-user', forbidRoot: 'yes' }, ['forbidRoot: must be true or false']],
    ['no audit types', { kind: 'audit-count', types: [] }, ['types: lists no type; add one, e.g. "access.denied"']],
    ['a bad audit type', { kind: 'audit-count', types: ['access.denied', 'Denied!'] }, ['types[1]: must be an audit entry type, e.g. "access.denied"']],
    ['a fractional max', { kind: 'audit-count', types: ['access.denied'], max: 1.5 }, ['max: must be a whole number (entries allowed in the window), e.g. 0']],
    ['an unknown persistence', { kind: 'redis-config', persistence: 'disk' }, ['persistence: must be aof, rdb, any (AOF or RDB) or none-ok']],
    [
      'an unknown eviction policy',
      { kind: 'redis-config', maxmemoryPolicy: 'lru' },
      ['maxmemoryPolicy: must be a Redis maxmemory-policy: noeviction, allkeys-lru, allkeys-lfu, allkeys-random, volatile-lru, volatile-lfu, volatile-random, volatile-ttl'],
    ],
  ])('refuses %s, naming the field', (_name, spec, expected) => {
    expect(problems(spec)).toEqual(expected);
  });

  it('refuses unknown keys, listing the keys the kind takes', () => {
    expect(problems({ kind: 'disk-usage', path: './data', maxPercent: 80, maxPercnt: 80 })).toEqual([
      '(top level): unknown key maxPercnt; disk-usage takes kind, path, maxPercent, maxBytes, timeoutSeconds',
    ]);
    expect(problems({ kind: 'http-check', url: 'http://127.0.0.1/', phase: 'analyze', title: 'x' })).toEqual([
      '(top level): unknown key phase, title; http-check takes kind, timeoutSeconds, url, summary, method, expectStatus',
    ]);
  });

  it.each([
    [{ kind: 'disk-usage', path: '/srv/{{ labels.instance }}', maxPercent: 80 }, 'path'],
    [{ kind: 'tls-expiry', host: '{{labels.host}}' }, 'host'],
    [{ kind: 'file-mode', path: 'x}}', maxMode: '600' }, 'path'],
    [{ kind: 'http-check', url: 'http://{{ labels.instance }}/healthz' }, 'url'],
    [{ kind: 'prometheus', url: 'http://127.0.0.1:9090', query: 'up{instance="{{ labels.instance }}"}' }, 'query'],
  ])('refuses templates in %o (they need an incident)', (spec, field) => {
    const found = problems(spec);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${field}: must not use \\{\\{ \\}\\} templates: .* run without an incident; write the value itself$`));
  });

  it('bounds timeoutSeconds as actions do', () => {
    expect(problems({ kind: 'self-audit', timeoutSeconds: 0 })[0]).toMatch(/^timeoutSeconds: /);
    expect(problems({ kind: 'self-audit', timeoutSeconds: 601 })[0]).toMatch(/^timeoutSeconds: /);
  });
});
