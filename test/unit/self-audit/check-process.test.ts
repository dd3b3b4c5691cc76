import { describe, expect, it } from 'vitest';
import { checkProcess } from '../../../src/self-audit/check-process.js';
import { buildContext, findingOf } from '../../support/self-audit-fixtures.js';

describe('checkProcess', () => {
  it('fails, critical, when Warden runs as root', () => {
    const finding = findingOf(checkProcess(buildContext({ getuid: () => 0 })), 'process-not-root');
    expect(finding).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(finding.finding).toContain('uid 0 (root)');
    expect(finding.fix).toContain('User=warden');
  });

  it('passes for an unprivileged uid and names it', () => {
    const finding = findingOf(checkProcess(buildContext({ getuid: () => 1001 })), 'process-not-root');
    expect(finding).toMatchObject({ status: 'pass', finding: 'the process runs as uid 1001' });
  });

  it('uses the real process uid by default', () => {
    const finding = findingOf(checkProcess(buildContext({ getuid: undefined })), 'process-not-root');
    expect(finding.status).toBe(process.getuid!() === 0 ? 'fail' : 'pass');
  });
});
