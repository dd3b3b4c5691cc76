import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditEntryInput } from '../../../src/audit/audit-log.js';
import { GENESIS_HASH, hashAuditEntry } from '../../../src/audit/hash-audit-entry.js';
import { canonicalizeAuditCheckpoint, signAuditCheckpoint } from '../../../src/audit/sign-audit-checkpoint.js';
import { verifyAuditLog, type AuditRedisState, type VerifyAuditLogResult } from '../../../src/audit/verify-audit-log.js';

const KEY = 'k'.repeat(32);
const AT = '2026-01-01T00:00:00.000Z';

/** Appends entries the way the audit log does; a `checkpoint` input records a signed checkpoint of the entry before it. */
function buildChain(inputs: (AuditEntryInput | 'checkpoint')[], { hmacKey }: { hmacKey?: string } = { hmacKey: KEY }): AuditEntry[] {
  const chain: AuditEntry[] = [];
  for (const input of inputs) {
    const prev = chain.at(-1);
    const body: AuditEntryInput =
      input === 'checkpoint'
        ? { type: 'audit.checkpoint', actor: 'warden', subject: `seq ${prev!.seq}`, outcome: 'ok', detail: { ...signAuditCheckpoint({ seq: prev!.seq, hash: prev!.hash, at: AT }, hmacKey), reason: 'scheduled' } }
        : input;
    const unsigned = { seq: chain.length + 1, at: AT, ...body, prev: prev?.hash ?? GENESIS_HASH };
    chain.push({ ...unsigned, hash: hashAuditEntry(unsigned, hmacKey) });
  }
  return chain;
}

const entry = (i: number): AuditEntryInput => ({ type: 'incident.phase', actor: 'slack:U0OPS1', subject: `inc-${i}` });

/** Redis as Warden leaves it: the head at the end, the stream from `from` on. */
function redisOf(chain: AuditEntry[], from = 1): AuditRedisState {
  const last = chain.at(-1)!;
  return { head: { seq: last.seq, hash: last.hash }, stream: chain.slice(from - 1).map((e) => ({ seq: e.seq, hash: e.hash })) };
}

function failure(result: VerifyAuditLogResult) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

describe('signAuditCheckpoint', () => {
  it('signs the canonical {at, hash, seq} with HMAC-SHA256, and leaves a checkpoint unsigned without a key', () => {
    const hash = 'ab'.repeat(32);
    expect(canonicalizeAuditCheckpoint({ seq: 42, hash, at: AT })).toBe(`{"at":"${AT}","hash":"${hash}","seq":42}`);
    // Fixed vector: HMAC-SHA256 with the key "k"×32 over the canonical text above.
    // `printf '<canonical>' | openssl dgst -sha256 -hmac kkk…k`
    expect(signAuditCheckpoint({ seq: 42, hash, at: AT }, KEY).mac).toBe('454d2fd2eece2d5de1114cea1bce37c9b7a5bcf567c68e403de98f61d476425a');
    expect(signAuditCheckpoint({ seq: 42, hash, at: AT })).toEqual({ seq: 42, hash, at: AT });
  });
});

describe('verifyAuditLog', () => {
  const chain = buildChain([entry(1), entry(2), entry(3), 'checkpoint', entry(5), entry(6)]);

  it('accepts a log whose stream was trimmed behind a checkpoint, and names that checkpoint', () => {
    const result = verifyAuditLog(chain, { hmacKey: KEY, redis: redisOf(chain, 3) });
    expect(result).toMatchObject({ ok: true, count: 6, lastSeq: 6, streamFrom: 3, lastCheckpoint: { seq: 3, source: 'the checkpoint entry seq 4 (entry #4)' } });
  });

  it('refuses a stream trimmed beyond every checkpoint', () => {
    expect(failure(verifyAuditLog(chain, { hmacKey: KEY, redis: redisOf(chain, 5) })).reason).toBe(
      'Redis no longer holds seq 1–4, and no checkpoint covers them: the stream was trimmed without one, or the checkpoint entries were removed',
    );
    // A checkpoint from outside covers it.
    expect(verifyAuditLog(chain, { hmacKey: KEY, redis: redisOf(chain, 5), given: [{ seq: 5, hash: chain[4]!.hash, source: '--checkpoint', signed: false }] }).ok).toBe(true);
  });

  it('refuses a stream with a gap, an entry that differs from the file, and a head that is not the stream end', () => {
    const gap = redisOf(chain, 3);
    gap.stream.splice(1, 1);
    expect(failure(verifyAuditLog(chain, { hmacKey: KEY, redis: gap }))).toMatchObject({ firstBadSeq: 4, reason: 'the Redis stream lacks seq 4: entries were deleted from it' });
    const differs = redisOf(chain, 3);
    differs.stream[2] = { seq: 5, hash: 'cd'.repeat(32) };
    expect(failure(verifyAuditLog(chain, { hmacKey: KEY, redis: differs }))).toMatchObject({ firstBadSeq: 5, reason: expect.stringContaining('seq 5 differs between the file and the Redis stream') });
    const short = redisOf(chain, 3);
    short.stream.pop();
    expect(failure(verifyAuditLog(chain, { hmacKey: KEY, redis: short }))).toMatchObject({ firstBadSeq: 6, reason: expect.stringContaining('is not the last entry of the Redis stream') });
  });

  it('refuses a checkpoint beyond the Redis head, a forged or unsigned checkpoint, and a checkpoint entry that names no earlier entry', () => {
    const redis = { ...redisOf(chain), checkpoint: { ...signAuditCheckpoint({ seq: 6, hash: chain[5]!.hash, at: AT }, KEY) } };
    expect(verifyAuditLog(chain, { hmacKey: KEY, redis }).ok).toBe(true);
    const forged = { ...redis, checkpoint: { ...redis.checkpoint, mac: 'ef'.repeat(32) } };
    expect(failure(verifyAuditLog(chain, { hmacKey: KEY, redis: forged })).reason).toBe(
      'the checkpoint at seq 6 (the last checkpoint recorded in Redis) is not signed with audit.hmacKey: it was forged, or written with another key',
    );
    const unsigned = { ...redis, checkpoint: { seq: 6, hash: chain[5]!.hash, at: AT } };
    expect(failure(verifyAuditLog(chain, { hmacKey: KEY, redis: unsigned })).firstBadSeq).toBe(6);

    const rolledBack = chain.slice(0, 5);
    const beyond = { ...redisOf(rolledBack), checkpoint: signAuditCheckpoint({ seq: 6, hash: chain[5]!.hash, at: AT }, KEY) };
    expect(failure(verifyAuditLog(rolledBack, { hmacKey: KEY, redis: beyond })).reason).toMatch(/^the file ends at seq 5, before the checkpoint at seq 6 \(the last checkpoint recorded in Redis\)/);
    expect(failure(verifyAuditLog(chain, { hmacKey: KEY, redis: { head: redisOf(chain).head, stream: redisOf(chain).stream }, given: [{ seq: 7, hash: 'ab'.repeat(32), source: '--checkpoint', signed: false }] })).firstBadSeq).toBe(7);

    const odd = buildChain([entry(1), { type: 'audit.checkpoint', actor: 'warden', detail: { seq: 2, hash: 'ab'.repeat(32), at: AT } }]);
    expect(failure(verifyAuditLog(odd, { hmacKey: KEY }))).toMatchObject({ firstBadSeq: 2, reason: 'the checkpoint at seq 2 does not name an earlier entry by seq, hash and time' });
  });

  it('without a key, checks checkpoints by their hash only (they are then plain statements)', () => {
    const plain = buildChain([entry(1), 'checkpoint', entry(3)], {});
    expect(verifyAuditLog(plain, { redis: redisOf(plain, 2) })).toMatchObject({ ok: true, lastCheckpoint: { seq: 1 } });
  });
});
