import type { RedisClient } from '../redis/redis-client.js';
import { readAuditLinesBackwards } from '../audit/read-audit-lines-backwards.js';

/** What {@link countAuditEntries} found in the window. */
export interface AuditCount {
  /** Per type asked for: refusals counted, folded entries expanded. */
  counts: Map<string, number>;
  /** `at` of the newest counted entry (epoch ms). */
  latestAt?: number;
  /** Entries read, from the stream and then from the file. */
  scanned: number;
  /** Entries without readable JSON or `at`; skipped. */
  unreadable: number;
  /**
   * Why the scan stopped before the window's start, if it did: older entries were then not read.
   * `trimmed`: the stream starts at `trimmedBefore` (trimmed after a checkpoint) and the audit file,
   * which keeps the older entries, could not be read or lacks the ones just before.
   */
  stopped?: 'entries' | 'signal' | 'trimmed';
  trimmedBefore?: number;
}

/** Options of {@link countAuditEntries}. */
export interface CountAuditEntriesOptions {
  types: readonly string[];
  /** Start of the window (epoch ms); entries at or after it count. */
  since: number;
  /** The audit file (`audit.file`): read from its end for the entries the stream no longer holds. */
  file?: string;
  /** Entries per XREVRANGE; default 1000. */
  pageSize?: number;
  /** Read at most this many entries; default 200 000. */
  maxEntries?: number;
  signal?: AbortSignal;
}

type ParsedEntry = { seq: number | undefined; type: string; at: number; weight: number };

// Entries are appended by several processes whose clocks may differ a little: read on past the
// window's start by this much before concluding that the rest is older.
const CLOCK_SKEW_MS = 60_000;

/**
 * Counts the audit entries of `types` whose `at` lies in the window, reading the audit stream
 * newest first (XREVRANGE, in pages) until entries are older than the window; when the stream has
 * been trimmed (it starts after seq 1) and the window goes back further, it reads on in the audit
 * `file` from its end. An entry with a numeric `detail.count` counts that many (refused requests are
 * one entry per route and minute, see `createRejectionAuditor`); an older `inbound.rejected` entry
 * also counts the refusals folded into it (`detail.refusedBefore`).
 *
 * @throws the Redis error when the stream cannot be read.
 */
export async function countAuditEntries(redis: RedisClient, streamKey: string, options: CountAuditEntriesOptions): Promise<AuditCount> {
  const pageSize = options.pageSize ?? 1000;
  const maxEntries = options.maxEntries ?? 200_000;
  const wanted = new Set(options.types);
  const found: AuditCount = { counts: new Map(options.types.map((type) => [type, 0])), scanned: 0, unreadable: 0 };
  // True once the entries are older than the window: the scan is complete.
  const count = (entry: ParsedEntry): boolean => {
    if (entry.at < options.since - CLOCK_SKEW_MS) return true;
    if (entry.at < options.since || !wanted.has(entry.type)) return false;
    found.counts.set(entry.type, (found.counts.get(entry.type) ?? 0) + entry.weight);
    found.latestAt = Math.max(found.latestAt ?? 0, entry.at);
    return false;
  };
  let end = '+';
  let oldestSeq: number | undefined;
  for (;;) {
    if (options.signal?.aborted) return { ...found, stopped: 'signal' };
    if (found.scanned >= maxEntries) return { ...found, stopped: 'entries' };
    const asked = Math.min(pageSize, maxEntries - found.scanned);
    const page = await redis.xrevrange(streamKey, end, '-', 'COUNT', asked);
    for (const [id, fields] of page) {
      found.scanned++;
      oldestSeq = Number(id.split('-')[0]);
      const entry = parseEntry(fields[fields.findIndex((field, i) => i % 2 === 0 && field === 'entry') + 1]);
      if (entry === undefined) {
        found.unreadable++;
        continue;
      }
      if (count(entry)) return found;
    }
    const last = page.at(-1);
    if (last === undefined || page.length < asked) break;
    end = previousStreamId(last[0]);
  }
  if (oldestSeq === undefined || oldestSeq <= 1) return found;
  return countInFile(found, oldestSeq, count, { ...options, maxEntries });
}

/** Reads on in the audit file, newest first, from the entry just before the stream's first (`before`). */
async function countInFile(found: AuditCount, before: number, count: (entry: ParsedEntry) => boolean, options: CountAuditEntriesOptions & { maxEntries: number }): Promise<AuditCount> {
  const trimmed = (): AuditCount => ({ ...found, stopped: 'trimmed', trimmedBefore: before });
  if (options.file === undefined) return trimmed();
  let joined = false;
  try {
    for await (const line of readAuditLinesBackwards(options.file)) {
      if (options.signal?.aborted) return { ...found, stopped: 'signal' };
      if (found.scanned >= options.maxEntries) return { ...found, stopped: 'entries' };
      const entry = parseEntry(line);
      if (entry === undefined) {
        found.unreadable++;
        continue;
      }
      if (entry.seq === undefined || entry.seq >= before) continue;
      // The file must go on exactly where the stream starts, or entries in between are unseen.
      if (!joined && entry.seq !== before - 1) return trimmed();
      joined = true;
      found.scanned++;
      if (count(entry)) return found;
    }
  } catch {
    return trimmed();
  }
  return joined ? found : trimmed();
}

function parseEntry(json: string | undefined): ParsedEntry | undefined {
  let entry: { seq?: unknown; type?: unknown; at?: unknown; detail?: Record<string, unknown> };
  try {
    entry = JSON.parse(json ?? '') as typeof entry;
  } catch {
    return undefined;
  }
  const at = typeof entry.at === 'string' ? Date.parse(entry.at) : Number.NaN;
  if (typeof entry.type !== 'string' || Number.isNaN(at)) return undefined;
  return { seq: Number.isSafeInteger(entry.seq) ? (entry.seq as number) : undefined, type: entry.type, at, weight: weightOf(entry.type, entry.detail) };
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
