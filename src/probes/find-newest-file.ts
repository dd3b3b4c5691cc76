import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';

/** The newest regular file of a directory, and how much of the directory was looked at. */
export interface NewestFile {
  newest?: { name: string; mtimeMs: number };
  /** Entries in the directory that were looked at. */
  entries: number;
  /** Entries whose name matched. */
  matching: number;
  /** Why it stopped early, if it did: then a newer file may exist among the rest. */
  stopped?: 'entries' | 'signal';
}

/** Options of {@link findNewestFile}. */
export interface FindNewestFileOptions {
  /** Only names this matches count. */
  pattern?: RegExp;
  /** Look at this many entries at most; default 100 000. */
  maxEntries?: number;
  signal?: AbortSignal;
}

const BATCH = 64;

/**
 * Finds the most recently modified regular file directly in `dir` (not recursive; symbolic links
 * and files that vanish meanwhile are skipped).
 *
 * @throws the file system error for `dir` itself (not found, permission denied, not a directory).
 */
export async function findNewestFile(dir: string, options: FindNewestFileOptions = {}): Promise<NewestFile> {
  const maxEntries = options.maxEntries ?? 100_000;
  const found: NewestFile = { entries: 0, matching: 0 };
  const candidates: string[] = [];
  // Streamed rather than read whole: a directory may hold millions of entries.
  for await (const entry of await opendir(dir)) {
    if (found.entries === maxEntries) {
      found.stopped = 'entries';
      break;
    }
    found.entries++;
    if (entry.isFile() && (options.pattern?.test(entry.name) ?? true)) candidates.push(entry.name);
  }
  found.matching = candidates.length;
  for (let i = 0; i < candidates.length; i += BATCH) {
    if (options.signal?.aborted) return { ...found, stopped: 'signal' };
    const batch = candidates.slice(i, i + BATCH);
    const stats = await Promise.all(batch.map((name) => lstat(join(dir, name)).catch(() => undefined)));
    stats.forEach((info, j) => {
      if (info?.isFile() && (found.newest === undefined || info.mtimeMs > found.newest.mtimeMs)) found.newest = { name: batch[j]!, mtimeMs: info.mtimeMs };
    });
  }
  return found;
}
