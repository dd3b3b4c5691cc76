import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** How much the files under a path hold. */
export interface TreeSize {
  /** Sum of the sizes of the regular files seen. */
  bytes: number;
  files: number;
  /** Directory entries looked at (files, directories, links, others). */
  entries: number;
  /** Directories or files that could not be read; their contents are not counted. */
  unreadable: number;
  /** Why the walk stopped early, if it did: it then counted only part of the tree. */
  stopped?: 'entries' | 'signal';
}

/** Options of {@link measureTreeSize}. */
export interface MeasureTreeSizeOptions {
  /** Stop after looking at this many entries; default 100 000. */
  maxEntries?: number;
  signal?: AbortSignal;
}

const BATCH = 64;

/**
 * Adds up the sizes of the regular files under `root` (or of `root` itself when it is a file),
 * without following symbolic links below `root`, in a bounded number of steps.
 *
 * @throws the file system error for `root` itself (not found, permission denied).
 */
export async function measureTreeSize(root: string, options: MeasureTreeSizeOptions = {}): Promise<TreeSize> {
  const maxEntries = options.maxEntries ?? 100_000;
  const top = await stat(root);
  if (!top.isDirectory()) return { bytes: top.isFile() ? top.size : 0, files: top.isFile() ? 1 : 0, entries: 1, unreadable: 0 };

  const size: TreeSize = { bytes: 0, files: 0, entries: 0, unreadable: 0 };
  const pending = [root];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    if (options.signal?.aborted) return { ...size, stopped: 'signal' };
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      size.unreadable++;
      continue;
    }
    const room = maxEntries - size.entries;
    const taken = names.slice(0, room);
    size.entries += taken.length;
    for (let i = 0; i < taken.length; i += BATCH) {
      const stats = await Promise.all(taken.slice(i, i + BATCH).map((name) => lstat(join(dir, name)).catch(() => undefined)));
      for (const [j, entry] of stats.entries()) {
        if (entry === undefined) size.unreadable++;
        else if (entry.isFile()) {
          size.files++;
          size.bytes += entry.size;
        } else if (entry.isDirectory()) pending.push(join(dir, taken[i + j]!));
      }
    }
    if (taken.length < names.length) return { ...size, stopped: 'entries' };
  }
  return size;
}
