import { statfs, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureTreeSize } from '../../../src/probes/measure-tree-size.js';
import { probeSpecSchema, type ProbeSpecOf } from '../../../src/probes/probe-spec-schema.js';
import { runDiskUsageProbe } from '../../../src/probes/run-disk-usage-probe.js';
import { makeProbeTempDir, type ProbeTempDir } from '../../support/probe-temp-dir.js';

let tree: ProbeTempDir;
let outside: ProbeTempDir;

function diskSpec(fields: Record<string, unknown>): ProbeSpecOf<'disk-usage'> {
  return probeSpecSchema.parse({ kind: 'disk-usage', path: tree.dir, ...fields }) as ProbeSpecOf<'disk-usage'>;
}

/** The file system's usage as df computes it, to compare with the probe's figure. */
async function usedPercent(path: string): Promise<number> {
  const fs = await statfs(path);
  const used = fs.blocks - fs.bfree;
  return (used / (used + fs.bavail)) * 100;
}

beforeAll(async () => {
  [tree, outside] = await Promise.all([makeProbeTempDir(), makeProbeTempDir()]);
  await tree.file('a.log', 1024);
  await tree.file('b.log', 2048);
  await tree.file('sub/c.log', 1024);
  // Neither a link to a large file elsewhere nor a loop back up may be followed.
  const big = await outside.file('big.bin', 1024 * 1024);
  await symlink(big, join(tree.dir, 'big-link'));
  await symlink('..', join(tree.dir, 'sub', 'loop'));
});

afterAll(async () => {
  await Promise.all([tree.remove(), outside.remove()]);
});

describe('runDiskUsageProbe on real files', () => {
  it('adds up the files under the path without following links', async () => {
    const result = await runDiskUsageProbe(diskSpec({ maxBytes: 4096 }), { actionId: 'log-size' });
    expect(result).toMatchObject({ actionId: 'log-size', ok: true, summary: `${tree.dir} holds 4 KiB in 3 files (max 4 KiB)` });
  });

  it('fails when the files hold more than maxBytes', async () => {
    const result = await runDiskUsageProbe(diskSpec({ maxBytes: '3 KiB' }));
    expect(result).toMatchObject({ ok: false, summary: `${tree.dir} holds 4 KiB in 3 files (over the 3 KiB max)` });
  });

  it('measures a single file, and resolves a relative path against cwd', async () => {
    const result = await runDiskUsageProbe(diskSpec({ path: 'sub/c.log', maxBytes: 1024 }), { cwd: tree.dir });
    expect(result).toMatchObject({ ok: true, summary: `${join(tree.dir, 'sub/c.log')} holds 1 KiB in 1 file (max 1 KiB)` });
  });

  it('reports how full the file system is, as df does', async () => {
    const result = await runDiskUsageProbe(diskSpec({ maxPercent: 100 }));
    expect(result.ok).toBe(true);
    const match = new RegExp(`^file system of ${tree.dir} ([\\d.]+)% used \\(max 100%\\), \\S+ \\S+ free of \\S+ \\S+$`).exec(result.summary);
    expect(match, result.summary).not.toBeNull();
    expect(Math.abs(Number(match![1]) - (await usedPercent(tree.dir)))).toBeLessThan(0.5);
  });

  it('fails when the file system is fuller than maxPercent, and checks both limits together', async () => {
    const result = await runDiskUsageProbe(diskSpec({ maxPercent: 0.001, maxBytes: 1_000_000 }));
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(new RegExp(`^file system of \\S+ [\\d.]+% used \\(over the 0\\.001% max\\), .*; ${tree.dir} holds 4 KiB in 3 files \\(max 977 KiB\\)$`));
  });

  it('fails a walk that could not finish: what it did not see is not known to be small', async () => {
    const result = await runDiskUsageProbe(diskSpec({ maxBytes: 4096, timeoutSeconds: 3 }), { signal: AbortSignal.abort() });
    expect(result).toMatchObject({ ok: false, summary: `${tree.dir} holds at least 0 B in 0 files (walk stopped after 3 s; not known to be under 4 KiB)` });
  });

  it('fails "not found" for a missing path', async () => {
    const missing = join(tree.dir, 'nope');
    expect(await runDiskUsageProbe(diskSpec({ path: missing, maxBytes: 1 }))).toMatchObject({ ok: false, summary: `not found: ${missing}` });
    expect(await runDiskUsageProbe(diskSpec({ path: missing, maxPercent: 90 }))).toMatchObject({ ok: false, summary: `not found: ${missing}` });
  });
});

describe('measureTreeSize', () => {
  it('stops at the entry bound and says so', async () => {
    const size = await measureTreeSize(tree.dir, { maxEntries: 2 });
    expect(size).toMatchObject({ entries: 2, stopped: 'entries' });
    expect((await measureTreeSize(tree.dir)).stopped).toBeUndefined();
  });

  it('stops when its signal is aborted', async () => {
    const size = await measureTreeSize(tree.dir, { signal: AbortSignal.abort() });
    expect(size).toMatchObject({ bytes: 0, stopped: 'signal' });
  });

  it('counts what it walked: files, entries, nothing unreadable', async () => {
    expect(await measureTreeSize(tree.dir)).toEqual({ bytes: 4096, files: 3, entries: 6, unreadable: 0 });
  });
});
