import { chmod, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temporary directory to build file trees in for the file system probes. */
export interface ProbeTempDir {
  dir: string;
  /**
   * Writes `bytes` bytes to `name` (subdirectories are made), then applies `mode` and an mtime
   * `ageMs` before now; returns the file's path.
   */
  file(name: string, bytes: number, options?: { mode?: number; ageMs?: number }): Promise<string>;
  remove(): Promise<void>;
}

/** Makes a fresh temporary directory under the OS temp dir. */
export async function makeProbeTempDir(): Promise<ProbeTempDir> {
  const dir = await mkdtemp(join(tmpdir(), 'warden-probe-'));
  return {
    dir,
    async file(name, bytes, options = {}) {
      const path = join(dir, name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, Buffer.alloc(bytes, 'x'));
      if (options.mode !== undefined) await chmod(path, options.mode);
      if (options.ageMs !== undefined) {
        const when = new Date(Date.now() - options.ageMs);
        await utimes(path, when, when);
      }
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
