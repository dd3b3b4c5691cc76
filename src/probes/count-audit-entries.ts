import type { RedisClient } from '../redis/redis-client.js';

/** What {@link countAuditEntries} found in the window. */
export interface AuditCount {
  /** Per type asked for: refusals counted, folded entries expanded. */
  counts: Map<string, number>;
  /** `at` of the newest counted entry (epoch ms). */
  latestAt?: number;
  /** Stream entries read. */
  scanned: number;
  /** Entries without readable JSON or `at`; skipped. */
  unreadable: number;
  /** Why the scan stopped before the window's start, if it did: older entries were then not read. */
  stopped?: 'entries' | 'signal';
}

/** Options of {@link countAuditEntries}. */
export interface CountAuditEntriesOptions {
  types: readonly string[];
  /** Start of the window (epoch ms); entries at or after it count. */
  since: number;
  /** Entries per XREVRANGE; default 1000. */
  pageSize?: number;
  /** Read at most this many entries; default 200 000. */
  maxEntries?: number;
  signal?: AbortSignal;
}

// Entries are appended by several processes whose clocks may differ a little: read on past the
// window's start by this much before concluding that the rest is older.
const CLOCK_SKEW_MS = 60_000;

/**
 * Counts the audit entries of `types` whose `at` lies in the window, reading the audit stream
 * newest first (XREVRANGE, in pages) until entries are older than the window. An entry with a
 * numeric `detail.count` counts that many; an `inbound.rejected` entry also counts the refusals
 * folded into it (`detail.refusedBefore`, see `createRejectionAuditor`).
 *
 * @throws the Redis error when the stream cannot be read.
 */
export async function countAuditEntries(redis: RedisClient, streamKey: string, options: CountAuditEntriesOptions): Promise<AuditCount> {
  const pageSize = options.pageSize ?? 1000;
  const maxEntries = options.maxEntries ?? 200_000;
  const wanted = new Set(options.types);
  const found: AuditCount = { counts: new Map(options.types.map((type) => [type, 0])), scanned: 0, unreadable: 0 };
  let end = '+';
  for (;;) {
    if (options.signal?.aborted) return { ...found, stopped: 'signal' };
    if (found.scanned >= maxEntries) return { ...found, stopped: 'entries' };
    const asked = Math.min(pageSize, maxEntries - found.scanned);
    const page = await redis.xrevrange(streamKey, end, '-', 'COUNT', asked);
    for (const [, fields] of page) {
      found.scanned++;
      const entry = parseEntry(fields);
      if (entry === undefined) {
        found.unreadable++;
        continue;
      }
      if (entry.at < options.since - CLOCK_SKEW_MS) return found;
      if (entry.at < options.since || !wanted.has(entry.type)) continue;
      found.counts.set(entry.type, (found.counts.get(entry.type) ?? 0) + entry.weight);
      found.latestAt = Math.max(found.latestAt ?? 0, entry.at);
    }
    const last = page.at(-1);
    if (last === undefined || page.length < asked) return found;
    end = previousStreamId(last[0]);
  }
}

function parseEntry(fields: string[]): { type: string; at: number; weight: number } | undefined {
  const index = fields.findIndex((field, i) => i % 2 === 0 && field === 'entry');
  let entry: { type?: unknown; at?: unknown; detail?: Record<string, unknown> };
  try {
    entry = JSON.parse(fields[index + 1] ?? '') as typeof entry;
  } catch {
    return undefined;
  }
  const at = typeof entry.at === 'string' ? Date.parse(entry.at) : Number.NaN;
  if (typeof entry.type !== 'string' || Number.isNaN(at)) return undefined;
  return { type: entry.type, at, weight: weightOf(entry.type, entry.detail) };
}

function weightOf(type: string, detail: Record<string, unknown> | undefined): number {
  const count = detail?.['count'];
  if (typeof count === 'number' && Number.isSafeInteger(count) && count > 0) return count;
  const before = detail?.['refusedBefore'];
  if (type === 'inbound.rejected' && typeof before === 'number' && Number.isSafeInteger(before) && before > 0) return 1 + before;
  return 1;
}

/** The stream id just below `id` (`<ms>-<seq>`), so the next page excludes it on any Redis version. */
function previousStreamId(id: string): string {
  const [ms = '0', seq = '0'] = id.split('-');
  if (BigInt(seq) > 0n) return `${ms}-${BigInt(seq) - 1n}`;
  return `${BigInt(ms) - 1n}-18446744073709551615`;
}
