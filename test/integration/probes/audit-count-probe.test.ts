import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryInput } from '../../../src/audit/audit-log.js';
import { createAuditLog } from '../../../src/audit/create-audit-log.js';
import { countAuditEntries } from '../../../src/probes/count-audit-entries.js';
import { formatUtcTime } from '../../../src/shared/format-utc-time.js';
import { probeSpecSchema, type ProbeSpecOf } from '../../../src/probes/probe-spec-schema.js';
import { runAuditCountProbe } from '../../../src/probes/run-audit-count-probe.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/test-redis.js';

const HOUR_MS = 3_600_000;
const NOW = Date.UTC(2026, 0, 5, 12, 0, 0);
const SECURITY = ['inbound.rejected', 'access.denied', 'access.limited'];
let redis: Redis;
const prefixes: string[] = [];

/** Writes `entries` to a fresh audit log, each at NOW minus its age, and returns the stream key. */
async function writeAuditLog(entries: [ageHours: number, input: AuditEntryInput][]): Promise<string> {
  const prefix = uniquePrefix('probe-audit');
  prefixes.push(prefix);
  let at = 0;
  const audit = createAuditLog({ redis, prefix, now: () => at });
  for (const [ageHours, input] of entries) {
    at = NOW - ageHours * HOUR_MS;
    await audit.append(input);
  }
  return createRedisKeys(prefix).auditStream;
}

function countSpec(fields: Record<string, unknown> = {}): ProbeSpecOf<'audit-count'> {
  return probeSpecSchema.parse({ kind: 'audit-count', types: SECURITY, ...fields }) as ProbeSpecOf<'audit-count'>;
}

const rejected = (detail: Record<string, unknown>): AuditEntryInput => ({ type: 'inbound.rejected', actor: 'unauthenticated', subject: '/slack/events', outcome: 'unauthorized', detail: { source: '127.0.0.1', reason: 'bad signature', ...detail } });
const denied: AuditEntryInput = { type: 'access.denied', actor: 'slack:U1', subject: '/incident resolve', outcome: 'denied' };

let streamKey: string;

beforeAll(async () => {
  redis = connectTestRedis();
  streamKey = await writeAuditLog([
    [30, denied],
    [23, rejected({ refusedBefore: 2 })],
    [2, denied],
    [1, { type: 'incident.opened', actor: 'alertmanager', subject: 'inc-1' }],
    [0.5, rejected({ count: 4 })],
  ]);
});


afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('runAuditCountProbe against a real audit log', () => {
  const now = () => NOW;

  it('counts the entries of the types in the window, folded refusals included, and fails above max', async () => {
    const result = await runAuditCountProbe(countSpec(), { redis, auditStreamKey: streamKey, now, actionId: 'refusals' });
    expect(result).toMatchObject({
      actionId: 'refusals',
      ok: false,
      summary: `7 authentication failures and 1 denial in the last 24 h (max 0); latest ${formatUtcTime(NOW - 0.5 * HOUR_MS)}`,
    });
  });

  it('passes at or under max', async () => {
    const result = await runAuditCountProbe(countSpec({ max: 8 }), { redis, auditStreamKey: streamKey, now });
    expect(result.ok).toBe(true);
    expect(result.summary).toMatch(/^7 authentication failures and 1 denial in the last 24 h \(max 8\)/);
  });

  it('narrows to the window and the types asked for', async () => {
    const lastHour = await runAuditCountProbe(countSpec({ windowHours: 1 }), { redis, auditStreamKey: streamKey, now });
    expect(lastHour.summary).toBe(`4 authentication failures in the last 1 h (max 0); latest ${formatUtcTime(NOW - 0.5 * HOUR_MS)}`);
    const twoDays = await runAuditCountProbe(countSpec({ types: ['access.denied'], windowHours: 48 }), { redis, auditStreamKey: streamKey, now });
    expect(twoDays.summary).toBe(`2 denials in the last 48 h (max 0); latest ${formatUtcTime(NOW - 2 * HOUR_MS)}`);
    const other = await runAuditCountProbe(countSpec({ types: ['incident.opened', 'job.failed'] }), { redis, auditStreamKey: streamKey, now });
    expect(other.summary).toBe(`1 incident.opened entry in the last 24 h (max 0); latest ${formatUtcTime(NOW - HOUR_MS)}`);
  });

  it('passes when nothing happened, naming what it looked for', async () => {
    const result = await runAuditCountProbe(countSpec({ types: ['access.limited'] }), { redis, auditStreamKey: streamKey, now });
    expect(result).toMatchObject({ ok: true, summary: 'no rate-limited requests in the last 24 h (max 0)' });
    const empty = await runAuditCountProbe(countSpec(), { redis, auditStreamKey: `${streamKey}-missing`, now });
    expect(empty).toMatchObject({ ok: true, summary: 'no authentication failures, denials or rate-limited requests in the last 24 h (max 0)' });
  });

  it('skips unreadable entries and says how many', async () => {
    const key = await writeAuditLog([[3, denied]]);
    await redis.xadd(key, '99-0', 'entry', 'not json');
    const result = await runAuditCountProbe(countSpec(), { redis, auditStreamKey: key, now });
    expect(result).toMatchObject({ ok: false, summary: `1 denial in the last 24 h (max 0); latest ${formatUtcTime(NOW - 3 * HOUR_MS)}; 1 unreadable entry skipped` });
  });

  it('fails a scan that could not finish, even under max', async () => {
    const result = await runAuditCountProbe(countSpec({ max: 100 }), { redis, auditStreamKey: streamKey, now, signal: AbortSignal.abort() });
    expect(result).toMatchObject({ ok: false, summary: 'no authentication failures, denials or rate-limited requests in the last 24 h (max 100); scan stopped after 10 s, older entries not counted' });
  });

  it('says "not checked" without the stream key', async () => {
    expect(await runAuditCountProbe(countSpec(), { redis, now })).toMatchObject({ ok: false, summary: 'not checked: the audit log’s stream is not known here' });
  });
});

describe('countAuditEntries', () => {
  const since = NOW - 24 * HOUR_MS;

  it('reads page by page, newest first, and stops at the window', async () => {
    const found = await countAuditEntries(redis, streamKey, { types: SECURITY, since, pageSize: 2 });
    expect(Object.fromEntries(found.counts)).toEqual({ 'inbound.rejected': 7, 'access.denied': 1, 'access.limited': 0 });
    // The entry 30 h old ends the scan: all five were read, nothing beyond.
    expect(found).toMatchObject({ scanned: 5, unreadable: 0 });
    expect(found.stopped).toBeUndefined();
  });

  it('stops at the entry bound and says so', async () => {
    const found = await countAuditEntries(redis, streamKey, { types: SECURITY, since, pageSize: 2, maxEntries: 3 });
    expect(found).toMatchObject({ scanned: 3, stopped: 'entries' });
    expect(Object.fromEntries(found.counts)).toEqual({ 'inbound.rejected': 4, 'access.denied': 1, 'access.limited': 0 });
  });

  it('stops when its signal is aborted', async () => {
    const found = await countAuditEntries(redis, streamKey, { types: SECURITY, since, signal: AbortSignal.abort() });
    expect(found).toMatchObject({ scanned: 0, stopped: 'signal' });
  });
});

describe('runAuditCountProbe after checkpoints trimmed the stream', () => {
  const now = () => NOW;
  let dir: string;
  let trimmedKey: string;
  let file: string;
  let lines: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'warden-probe-audit-'));
    trimmedKey = await writeAuditLog([
      [30, denied],
      [23, rejected({ refusedBefore: 2 })],
      [20, denied],
      [2, denied],
      [1, { type: 'incident.opened', actor: 'alertmanager', subject: 'inc-1' }],
      [0.5, rejected({ count: 4 })],
    ]);
    lines = (await redis.xrange(trimmedKey, '-', '+')).map(([, fields]) => fields[1]!);
    file = join(dir, 'audit.jsonl');
    // The file holds the whole log, plus a torn last line (a write under way); Redis only seq 4 on.
    await writeFile(file, `${lines.join('\n')}\n{"seq":7,"at":"20`);
    await redis.xtrim(trimmedKey, 'MINID', '4-0');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('counts the entries only the audit file still holds', async () => {
    const result = await runAuditCountProbe(countSpec(), { redis, auditStreamKey: trimmedKey, auditFile: file, now });
    expect(result).toMatchObject({ ok: false, summary: `7 authentication failures and 2 denials in the last 24 h (max 0); latest ${formatUtcTime(NOW - 0.5 * HOUR_MS)}` });
    const found = await countAuditEntries(redis, trimmedKey, { types: SECURITY, since: NOW - 24 * HOUR_MS, file, pageSize: 2 });
    // Three from the stream, then seq 3, 2 and 1 (older than the window: the scan ends there) from the file.
    expect(found).toMatchObject({ scanned: 6, unreadable: 0 });
    expect(found.stopped).toBeUndefined();
  });

  it('says what it could not count when the file is not here, or lacks the entries just before the stream', async () => {
    const missing = await runAuditCountProbe(countSpec({ max: 100 }), { redis, auditStreamKey: trimmedKey, auditFile: join(dir, 'nope.jsonl'), now });
    expect(missing).toMatchObject({ ok: false, summary: expect.stringMatching(/in the last 24 h \(max 100\); .*entries before seq 4 are only in the audit file, which is not readable here: not counted$/) });
    const gap = join(dir, 'gap.jsonl');
    await writeFile(gap, `${lines.slice(0, 2).join('\n')}\n`);
    const behind = await runAuditCountProbe(countSpec({ max: 100 }), { redis, auditStreamKey: trimmedKey, auditFile: gap, now });
    expect(behind).toMatchObject({ ok: false, summary: expect.stringMatching(/entries before seq 4 are only in the audit file, which is not readable here: not counted$/) });
    // Wholly inside the stream's part: the file is not needed.
    const lastHour = await runAuditCountProbe(countSpec({ windowHours: 1 }), { redis, auditStreamKey: trimmedKey, now });
    expect(lastHour).toMatchObject({ summary: `4 authentication failures in the last 1 h (max 0); latest ${formatUtcTime(NOW - 0.5 * HOUR_MS)}` });
  });
});
