import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createRejectionAuditor } from '../../../src/audit/create-rejection-auditor.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';

describe('createRejectionAuditor', () => {
  it('audits one refusal per route and source per window, counting the rest', async () => {
    const audit = createRecordingAuditLog();
    let now = 0;
    const reject = createRejectionAuditor({ audit, logger: pino({ level: 'silent' }), now: () => now, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) reject('/slack/events', '10.0.0.1', 'signature mismatch');
    reject('/lark/events', '10.0.0.1', 'unsigned');
    reject('/slack/events', '10.0.0.2', 'stale');
    now = 60_000;
    reject('/slack/events', '10.0.0.1', 'signature mismatch');
    await new Promise((r) => setImmediate(r));
    expect(audit.entries.map((e) => [e.subject, (e.detail as { source: string }).source, (e.detail as { refusedBefore: number }).refusedBefore])).toEqual([
      ['/slack/events', '10.0.0.1', 0],
      ['/lark/events', '10.0.0.1', 0],
      ['/slack/events', '10.0.0.2', 0],
      ['/slack/events', '10.0.0.1', 4],
    ]);
  });

  it('never throws when the audit log is down, and forgets the oldest sources past its limit', async () => {
    const audit = createRecordingAuditLog();
    audit.failNext();
    const reject = createRejectionAuditor({ audit, logger: pino({ level: 'silent' }), now: () => 0, maxSources: 2 });
    expect(() => reject('/x', 'a', 'r')).not.toThrow();
    reject('/x', 'b', 'r');
    reject('/x', 'c', 'r');
    reject('/x', 'a', 'r');
    await new Promise((r) => setImmediate(r));
    expect(audit.entries.map((e) => (e.detail as { source: string }).source)).toEqual(['b', 'c', 'a']);
  });
});
