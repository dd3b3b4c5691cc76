import { describe, expect, it } from 'vitest';
import { isProbeAction } from '../../../src/probes/run-probe.js';
import { actionSchema } from '../../../src/config/action-schema.js';
import { formatConfigPath } from '../../../src/config/format-config-path.js';
import { listDiagnosisProbes } from '../../../src/probes/list-diagnosis-probes.js';
import { probeSpecFromAction } from '../../../src/probes/probe-spec-from-action.js';

const base = { phase: 'analyze', title: 'Check' } as const;

function problems(action: unknown): string[] {
  const result = actionSchema.safeParse(action);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${formatConfigPath(issue.path)}: ${issue.message}`);
}

describe('built-in probes as configured actions', () => {
  it('accepts each kind with the common fields and its own, and counts it as a probe', () => {
    const tls = actionSchema.parse({ ...base, kind: 'tls-expiry', host: 'api.example.org', minDays: 30 });
    expect(tls).toEqual({ ...base, kind: 'tls-expiry', destructive: false, params: {}, timeoutSeconds: 10, host: 'api.example.org', port: 443, minDays: 30 });
    expect(isProbeAction(tls)).toBe(true);
    expect(probeSpecFromAction(tls as Extract<typeof tls, { kind: 'tls-expiry' }>)).toEqual({ kind: 'tls-expiry', timeoutSeconds: 10, host: 'api.example.org', port: 443, minDays: 30 });
    const others = [
      { kind: 'disk-usage', path: './data', maxPercent: 85 },
      { kind: 'file-mode', path: '/etc/warden/config.yaml', maxMode: '600' },
      { kind: 'newest-file-age', path: '/backups', maxAgeHours: 26 },
      { kind: 'process-user' },
      { kind: 'audit-count', types: ['access.denied'] },
      { kind: 'redis-config', persistence: 'aof' },
      { kind: 'self-audit' },
    ];
    for (const fields of others) expect(isProbeAction(actionSchema.parse({ ...base, ...fields }))).toBe(true);
    expect(isProbeAction(actionSchema.parse({ ...base, kind: 'exec', argv: ['/usr/bin/true'] }))).toBe(false);
  });

  it('refuses destructive: true, params and templates on a read-only kind, each once', () => {
    expect(problems({ ...base, kind: 'disk-usage', path: './data', maxPercent: 80, destructive: true })).toEqual(['destructive: a disk-usage action only reads; remove destructive: true']);
    expect(problems({ ...base, kind: 'self-audit', params: { 'labels.instance': '^[a-z]+$' } })).toEqual(['params: a self-audit action uses no templates; remove params']);
    const templated = problems({ ...base, kind: 'tls-expiry', host: '{{ labels.instance }}' });
    expect(templated).toHaveLength(1);
    expect(templated[0]).toMatch(/^host: must not use \{\{ \}\} templates/);
  });

  it('applies the rules across fields as the inline form does', () => {
    expect(problems({ ...base, kind: 'disk-usage', path: './data' })).toEqual([
      'maxPercent: a disk-usage check needs maxPercent (file system usage, e.g. 85), maxBytes (size of the files under path, e.g. "10 GiB"), or both',
    ]);
  });

  it('lets diagnosis run analyze-phase built-in probes, and not remediations', () => {
    const actions = {
      backup: actionSchema.parse({ ...base, kind: 'newest-file-age', path: '/backups', maxAgeHours: 26 }),
      later: actionSchema.parse({ ...base, phase: 'optimize', kind: 'process-user' }),
      pause: actionSchema.parse({ ...base, kind: 'exec', argv: ['/usr/bin/true'] }),
      health: actionSchema.parse({ ...base, kind: 'http-check', url: 'http://127.0.0.1/healthz' }),
    };
    expect(listDiagnosisProbes(actions).map(([id]) => id)).toEqual(['backup', 'health']);
  });
});
