import { describe, expect, it } from 'vitest';
import { runSelfAudit } from '../../../src/self-audit/run-self-audit.js';
import { buildConfig, goodSlack, makeTempDir } from '../../support/self-audit-fixtures.js';

const IDS = [
  'process-not-root',
  'config-file-mode',
  'data-dir-mode',
  'audit-file-mode',
  'webhook-token-file-mode',
  'webhook-token-length',
  'slack-signing-secret-length',
  'lark-encrypt-key-length',
  'lark-verification-token-length',
  'audit-hmac-key-length',
  'integration-secrets',
  'config-literal-secrets',
  'server-bind-address',
  'server-trusted-proxies',
  'plain-http-urls',
  'redis-auth',
  'redis-tls',
  'redis-persistence',
  'redis-eviction-policy',
  'access-empty-groups',
  'access-unheld-permissions',
  'approvers-defined',
  'approvers-two-or-more',
  'exec-program-absolute',
  'exec-program-executable',
  'exec-program-not-writable',
  'log-redaction',
  'log-level',
];

describe('runSelfAudit', () => {
  it('runs every check once, in a stable order, and counts the outcomes', async () => {
    const temp = makeTempDir('audit-run');
    try {
      const config = buildConfig({ server: { host: '0.0.0.0' }, slack: goodSlack() });
      const report = await runSelfAudit({ config, env: {}, configPath: null, cwd: temp.dir, getuid: () => 0 });
      expect(report.findings.map((f) => f.id)).toEqual(IDS);
      expect(report.total).toBe(IDS.length);
      expect(report.passed + report.failed + report.skipped).toBe(report.total);
      expect(report.failed).toBe(report.findings.filter((f) => f.status === 'fail').length);
      expect(report.skipped).toBe(report.findings.filter((f) => f.status === 'skip').length);
      expect(report.findings.filter((f) => f.status === 'fail').map((f) => f.id)).toEqual(
        expect.arrayContaining(['process-not-root', 'server-bind-address', 'access-unheld-permissions']),
      );
      // Without a Redis connection nothing is asked of Redis: those checks are skipped, not passed.
      expect(report.findings.find((f) => f.id === 'redis-persistence')).toMatchObject({ status: 'skip', finding: 'no Redis connection was given to the audit' });
    } finally {
      temp.remove();
    }
  });

  it('gives every finding a kebab-case id, a severity, a status, a title, a finding and a fix', async () => {
    const report = await runSelfAudit({ config: buildConfig(), env: {}, configPath: null, getuid: () => 1000 });
    for (const finding of report.findings) {
      expect(finding.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(['critical', 'high', 'medium', 'low']).toContain(finding.severity);
      expect(['pass', 'fail', 'skip']).toContain(finding.status);
      expect(finding.title.length).toBeGreaterThan(10);
      expect(finding.finding.length).toBeGreaterThan(5);
      expect(finding.fix.length).toBeGreaterThan(10);
      expect(Object.keys(finding).sort()).toEqual(['finding', 'fix', 'id', 'severity', 'status', 'title']);
    }
  });
});
