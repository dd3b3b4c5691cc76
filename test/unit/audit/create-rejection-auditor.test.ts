import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createRejectionAuditor } from '../../../src/audit/create-rejection-auditor.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';

const silent = pino({ level: 'silent' });

describe('createRejectionAuditor', () => {
  it('audits one entry per route and minute, however many sources, with the count and a bounded sample of sources', async () => {
    const audit = createRecordingAuditLog();
    let now = Date.parse('2026-03-01T10:00:05Z');
    const rejections = createRejectionAuditor({ audit, logger: silent, now: () => now, sampleSize: 3 });
    for (let i = 0; i < 500; i++) rejections.record('/slack/events', `10.0.${Math.floor(i / 250)}.${i % 250}`, i % 2 === 0 ? 'signature mismatch' : 'stale timestamp');
    rejections.record('/lark/events', '10.9.9.9', 'unsigned');
    rejections.record('/slack/events', '10.0.0.0', 'signature mismatch');
    // Nothing is appended while the minute is open.
    expect(audit.entries).toEqual([]);

    now = Date.parse('2026-03-01T10:01:00Z');
    rejections.record('/slack/events', '10.0.0.1', 'signature mismatch');
    await new Promise((r) => setImmediate(r));
    expect(audit.entries).toEqual([
      {
        type: 'inbound.rejected',
        actor: 'unauthenticated',
        subject: '/slack/events',
        outcome: 'unauthorized',
        detail: {
          from: '2026-03-01T10:00:00.000Z',
          to: '2026-03-01T10:01:00.000Z',
          count: 501,
          sources: { '10.0.0.0': 2, '10.0.0.1': 1, '10.0.0.2': 1 },
          fromOtherSources: 497,
          reasons: { 'signature mismatch': 251, 'stale timestamp': 250 },
        },
      },
    ]);

    await rejections.flush();
    expect(audit.entries.map((e) => [e.subject, (e.detail as { from: string }).from, (e.detail as { count: number }).count])).toEqual([
      ['/slack/events', '2026-03-01T10:00:00.000Z', 501],
      ['/lark/events', '2026-03-01T10:00:00.000Z', 1],
      ['/slack/events', '2026-03-01T10:01:00.000Z', 1],
    ]);
    await rejections.flush();
    expect(audit.entries).toHaveLength(3);
  });

  it('bounds the reasons it lists and the routes it tracks', async () => {
    const audit = createRecordingAuditLog();
    const rejections = createRejectionAuditor({ audit, logger: silent, now: () => 0, maxReasons: 2, maxRoutes: 2 });
    for (const reason of ['a', 'b', 'c', 'd']) rejections.record('/x', '10.0.0.1', reason);
    rejections.record('/y', '10.0.0.1', 'a');
    // A third route: the oldest open window is written out to make room.
    rejections.record('/z', '10.0.0.1', 'a');
    await new Promise((r) => setImmediate(r));
    expect(audit.entries.map((e) => [e.subject, (e.detail as { reasons: unknown }).reasons])).toEqual([['/x', { a: 1, b: 1, other: 2 }]]);
    await rejections.flush();
    expect(audit.entries.map((e) => e.subject)).toEqual(['/x', '/y', '/z']);
  });

  it('never throws when the audit log is down', async () => {
    const audit = createRecordingAuditLog();
    audit.failNext();
    const rejections = createRejectionAuditor({ audit, logger: silent, now: () => 0 });
    expect(() => rejections.record('/x', 'a', 'r')).not.toThrow();
    await expect(rejections.flush()).resolves.toBeUndefined();
    rejections.record('/x', 'b', 'r');
    await rejections.flush();
    expect(audit.entries.map((e) => (e.detail as { sources: unknown }).sources)).toEqual([{ b: 1 }]);
  });
});
