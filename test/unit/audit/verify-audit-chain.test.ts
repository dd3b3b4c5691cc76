import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditEntryInput } from '../../../src/audit/audit-log.js';
import { canonicalizeAuditEntry } from '../../../src/audit/canonicalize-audit-entry.js';
import { GENESIS_HASH, hashAuditEntry } from '../../../src/audit/hash-audit-entry.js';
import { verifyAuditChain, type VerifyAuditChainResult } from '../../../src/audit/verify-audit-chain.js';

const KEY = 'k'.repeat(32);

/** A chain built the way the audit log builds it, with the real hash function. */
function buildChain(inputs: AuditEntryInput[], hmacKey?: string): AuditEntry[] {
  const chain: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (const [i, input] of inputs.entries()) {
    const unsigned = { seq: i + 1, at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), ...input, prev };
    const entry = { ...unsigned, hash: hashAuditEntry(unsigned, hmacKey) };
    chain.push(entry);
    prev = entry.hash;
  }
  return chain;
}

function sampleChain(length = 6, hmacKey?: string): AuditEntry[] {
  const inputs = Array.from({ length }, (_, i): AuditEntryInput => ({
    type: i % 2 ? 'incident.phase' : 'access.denied',
    actor: `slack:U0OPS${i}`,
    subject: `incident-${i}`,
    outcome: i % 2 ? 'ok' : 'denied',
    detail: { step: i, reason: 'not in group operators', groups: ['operators'] },
  }));
  return buildChain(inputs, hmacKey);
}

function headOf(chain: AuditEntry[]) {
  const last = chain.at(-1)!;
  return { seq: last.seq, hash: last.hash };
}

function failure(result: VerifyAuditChainResult) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

describe('canonicalizeAuditEntry and hashAuditEntry', () => {
  const entry = {
    seq: 1,
    at: '2026-01-01T00:00:00.000Z',
    type: 'config.loaded',
    actor: 'warden',
    subject: undefined,
    detail: { b: [1, { d: null, c: 'é' }], a: 'x' },
    prev: GENESIS_HASH,
    hash: 'ignored',
  };

  it('sorts keys at every depth, has no whitespace, and leaves out hash and undefined fields', () => {
    expect(canonicalizeAuditEntry(entry)).toBe(
      `{"actor":"warden","at":"2026-01-01T00:00:00.000Z","detail":{"a":"x","b":[1,{"c":"é","d":null}]},"prev":"${GENESIS_HASH}","seq":1,"type":"config.loaded"}`,
    );
  });

  it('matches digests computed independently (Python hashlib / hmac over prev + canonical, UTF-8)', () => {
    expect(hashAuditEntry(entry)).toBe('06a4a659d7b8a50f61e8dd742d84afc99d1739ef9f84d366b0e9340de2a055fc');
    expect(hashAuditEntry(entry, KEY)).toBe('098dd69b20b682d5a6a65d10989f3ad6aeb7323fbc1b01841d6d3d06a0d14bc9');
  });
});

describe('verifyAuditChain', () => {
  it('accepts an intact chain, with and without the head', () => {
    const chain = sampleChain();
    const expected = { ok: true, count: 6, lastSeq: 6, lastHash: chain[5]!.hash };
    expect(verifyAuditChain(chain)).toEqual(expected);
    expect(verifyAuditChain(chain, { head: headOf(chain) })).toEqual(expected);
    expect(verifyAuditChain([])).toEqual({ ok: true, count: 0, lastSeq: 0, lastHash: GENESIS_HASH });
  });

  it('detects an edited detail field', () => {
    const chain = sampleChain();
    chain[2] = { ...chain[2]!, detail: { ...chain[2]!.detail, reason: 'in group operators' } };
    const result = failure(verifyAuditChain(chain));
    expect(result).toMatchObject({ firstBadSeq: 3, index: 2, count: 6 });
    expect(result.reason).toBe('seq 3 was altered: its stored hash does not match its content (edited, or hashed with another key)');
  });

  it('detects a deleted entry in the middle and at the start', () => {
    const middle = sampleChain();
    middle.splice(2, 1);
    expect(failure(verifyAuditChain(middle)).reason).toBe(
      'seq 3 is missing: entry #3 has seq 4 where seq 3 was expected (deleted or reordered entries)',
    );
    const first = sampleChain().slice(1);
    expect(failure(verifyAuditChain(first))).toMatchObject({ firstBadSeq: 1, index: 0 });
    const several = sampleChain();
    several.splice(1, 3);
    expect(failure(verifyAuditChain(several)).reason).toContain('seq 2–4 are missing');
  });

  it('detects two swapped entries at the first of them', () => {
    const chain = sampleChain();
    [chain[2], chain[3]] = [chain[3]!, chain[2]!];
    const result = failure(verifyAuditChain(chain));
    expect(result).toMatchObject({ firstBadSeq: 3, index: 2 });
  });

  it('detects a duplicated entry', () => {
    const chain = sampleChain();
    chain.splice(3, 0, chain[2]!);
    expect(failure(verifyAuditChain(chain)).reason).toBe(
      'entry #4 has seq 3 where seq 4 was expected (a duplicated or reordered entry)',
    );
  });

  it('detects a cut-off tail only with the head, and a replaced or extra tail', () => {
    const chain = sampleChain();
    const head = headOf(chain);
    expect(verifyAuditChain(chain.slice(0, 4)).ok).toBe(true);
    const cut = failure(verifyAuditChain(chain.slice(0, 4), { head }));
    expect(cut).toMatchObject({ firstBadSeq: 5, count: 4 });
    expect(cut.index).toBeUndefined();
    expect(cut.reason).toContain('the chain ends at seq 4 but the Redis head is at seq 6: seq 5–6 are missing');
    expect(failure(verifyAuditChain([], { head })).firstBadSeq).toBe(1);

    // A tail rebuilt (re-hashed) from seq 5 on verifies on its own; only the head catches it.
    const rebuilt = buildChain([...chain.slice(0, 4), { ...chain[4]!, outcome: 'ok' }, chain[5]!].map(({ type, actor, subject, outcome, detail }) => ({ type, actor, subject, outcome, detail })));
    expect(verifyAuditChain(rebuilt).ok).toBe(true);
    expect(failure(verifyAuditChain(rebuilt, { head })).firstBadSeq).toBe(6);

    const extra = failure(verifyAuditChain(chain, { head: { seq: 4, hash: chain[3]!.hash } }));
    expect(extra).toMatchObject({ firstBadSeq: 5, index: 4 });
    expect(extra.reason).toContain('not in Redis');
  });

  it('detects an entry forged and re-hashed without the HMAC key', () => {
    const chain = sampleChain(6, KEY);
    expect(verifyAuditChain(chain, { hmacKey: KEY }).ok).toBe(true);
    const { hash: _hash, ...unsigned } = { ...chain[2]!, outcome: 'ok' };
    chain[2] = { ...unsigned, hash: hashAuditEntry(unsigned) };
    expect(failure(verifyAuditChain(chain, { hmacKey: KEY }))).toMatchObject({ firstBadSeq: 3, index: 2 });
    // Without the key an HMAC chain cannot be checked at all: it fails at its first entry.
    expect(failure(verifyAuditChain(sampleChain(3, KEY))).firstBadSeq).toBe(1);
  });

  it('without an HMAC key, a re-hashed edit shows at the next entry, whose prev no longer matches', () => {
    const chain = sampleChain();
    const { hash: _hash, ...unsigned } = { ...chain[2]!, actor: 'slack:U0EVIL' };
    chain[2] = { ...unsigned, hash: hashAuditEntry(unsigned) };
    const result = failure(verifyAuditChain(chain));
    expect(result.firstBadSeq).toBe(4);
    expect(result.reason).toBe('the prev of seq 4 does not match the hash of seq 3: one of the two was altered and re-hashed');
  });

  it.each([
    ['null', null, 'it is not a JSON object'],
    ['a string', 'seq 3', 'it is not a JSON object'],
    ['an array', [], 'it is not a JSON object'],
    ['no seq', { seq: undefined }, 'seq is not a positive integer'],
    ['a fractional seq', { seq: 3.5 }, 'seq is not a positive integer'],
    ['no actor', { actor: undefined }, 'actor is missing or not a string'],
    ['a numeric subject', { subject: 7 }, 'subject is not a string'],
    ['an array detail', { detail: ['x'] }, 'detail is not an object'],
    ['a short hash', { hash: 'abc' }, 'hash is not 64 lowercase hex characters'],
    ['an uppercase prev', { prev: 'A'.repeat(64) }, 'prev is not 64 lowercase hex characters'],
  ])('reports a malformed entry (%s) at its position', (_name, change, problem) => {
    const chain: unknown[] = sampleChain();
    chain[2] = change === null || typeof change !== 'object' || Array.isArray(change) ? change : { ...(chain[2] as object), ...change };
    const result = failure(verifyAuditChain(chain, { describeEntry: (i) => `line ${i + 1}` }));
    expect(result).toMatchObject({ firstBadSeq: 3, index: 2, reason: `line 3 is malformed: ${problem}` });
  });

  it('rejects a chain that does not start at the genesis hash', () => {
    const chain = sampleChain();
    const { hash: _hash, ...unsigned } = { ...chain[0]!, prev: 'f'.repeat(64) };
    chain[0] = { ...unsigned, hash: hashAuditEntry(unsigned) };
    expect(failure(verifyAuditChain(chain)).reason).toContain('seq 1 must have 64 zeros as prev');
  });
});

// --- properties --------------------------------------------------------------------------------

const inputArb: fc.Arbitrary<AuditEntryInput> = fc.record(
  {
    type: fc.constantFrom('inbound.rejected', 'access.denied', 'incident.phase', 'job.started', 'job.completed', 'config.loaded'),
    actor: fc.constantFrom('warden', 'alertmanager', 'slack:U0OPS1', 'lark:ou_0ops1'),
    subject: fc.string({ maxLength: 12 }),
    outcome: fc.constantFrom('ok', 'denied', 'failed'),
    detail: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  },
  { requiredKeys: ['type', 'actor'] },
);

const hexFlip = (hash: string, at: number) => {
  const i = at % hash.length;
  return hash.slice(0, i) + (hash[i] === '0' ? '1' : '0') + hash.slice(i + 1);
};

/** One mutation of a chain of length n: what an attacker or a broken copy could do. */
const mutationArb = fc.oneof(
  fc.record({ kind: fc.constant('edit' as const), at: fc.nat(), field: fc.constantFrom('seq', 'at', 'type', 'actor', 'subject', 'outcome', 'detail', 'prev', 'hash'), n: fc.integer({ min: 1, max: 1000 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), by: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat() }),
);

type Mutation = typeof mutationArb extends fc.Arbitrary<infer T> ? T : never;

function applyMutation(
  chain: AuditEntry[],
  m: Mutation,
): unknown[] {
  const copy: unknown[] = chain.map((e) => structuredClone(e));
  const n = chain.length;
  switch (m.kind) {
    case 'edit': {
      const entry = copy[m.at % n] as Record<string, unknown>;
      const value = entry[m.field];
      if (m.field === 'seq') entry.seq = (value as number) + m.n;
      else if (m.field === 'prev' || m.field === 'hash') entry[m.field] = hexFlip(value as string, m.n);
      else if (m.field === 'detail') entry.detail = { ...(value as object | undefined), [`x${m.n}`]: m.n };
      else entry[m.field] = `${(value as string | undefined) ?? ''}!`;
      return copy;
    }
    case 'delete':
      copy.splice(m.at % n, 1);
      return copy;
    case 'swap': {
      const i = m.at % n;
      const j = (i + m.by) % n;
      [copy[i], copy[j]] = [copy[j], copy[i]];
      return copy;
    }
    case 'duplicate':
      copy.splice((m.at % n) + 1, 0, structuredClone(copy[m.at % n]));
      return copy;
    case 'truncate':
      return copy.slice(0, m.keep % n);
  }
}

describe('verifyAuditChain (properties)', () => {
  it('accepts every intact chain, plain or keyed', () => {
    fc.assert(
      fc.property(fc.array(inputArb, { maxLength: 15 }), fc.boolean(), (inputs, keyed) => {
        const chain = buildChain(inputs, keyed ? KEY : undefined);
        const result = verifyAuditChain(chain, { hmacKey: keyed ? KEY : undefined, head: chain.length ? headOf(chain) : undefined });
        expect(result).toEqual({ ok: true, count: chain.length, lastSeq: chain.length, lastHash: chain.at(-1)?.hash ?? GENESIS_HASH });
      }),
    );
  });

  it('reports any single mutation at the first position it changed', () => {
    fc.assert(
      fc.property(fc.array(inputArb, { minLength: 1, maxLength: 12 }), mutationArb, fc.boolean(), (inputs, m, keyed) => {
        const hmacKey = keyed ? KEY : undefined;
        const chain = buildChain(inputs, hmacKey);
        const mutated = applyMutation(chain, m);
        const firstChanged = Array.from({ length: Math.max(chain.length, mutated.length) }).findIndex(
          (_, i) => JSON.stringify(mutated[i]) !== JSON.stringify(chain[i]),
        );
        // A swap of two identical entries cannot happen in a chain (seq differs), but a swap with itself can.
        fc.pre(firstChanged >= 0);
        const result = verifyAuditChain(mutated, { hmacKey, head: headOf(chain) });
        expect(result.ok).toBe(false);
        expect(failure(result).firstBadSeq).toBe(firstChanged + 1);
      }),
      { numRuns: 500 },
    );
  });
});
