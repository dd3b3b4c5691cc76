import { mkdir, symlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNewestFile } from '../../../src/probes/find-newest-file.js';
import { formatUtcTime } from '../../../src/shared/format-utc-time.js';
import { probeSpecSchema, type ProbeSpecOf } from '../../../src/probes/probe-spec-schema.js';
import { runNewestFileAgeProbe } from '../../../src/probes/run-newest-file-age-probe.js';
import { makeProbeTempDir, type ProbeTempDir } from '../../support/probe-temp-dir.js';

const HOUR_MS = 3_600_000;
const NOW = Date.now();
let backups: ProbeTempDir;
let keys: ProbeTempDir;

function ageSpec(fields: Record<string, unknown>): ProbeSpecOf<'newest-file-age'> {
  return probeSpecSchema.parse({ kind: 'newest-file-age', path: backups.dir, ...fields }) as ProbeSpecOf<'newest-file-age'>;
}

/** Sets a file's mtime `hours` before NOW and returns that time. */
async function age(path: string, hours: number): Promise<number> {
  const when = Math.floor((NOW - hours * HOUR_MS) / 1000) * 1000;
  await utimes(path, new Date(when), new Date(when));
  return when;
}

let newestBackupAt: number;
let keyAt: number;

beforeAll(async () => {
  [backups, keys] = await Promise.all([makeProbeTempDir(), makeProbeTempDir()]);
  await age(await backups.file('backup-0101.tar.gz', 10), 50);
  newestBackupAt = await age(await backups.file('backup-0102.tar.gz', 10), 10);
  await age(await backups.file('notes.txt', 10), 1);
  // A newer directory and a newer link count for nothing: only regular files are backups.
  await mkdir(join(backups.dir, 'backup-0103.tar.gz.d'));
  await symlink(join(backups.dir, 'notes.txt'), join(backups.dir, 'backup-latest.tar.gz'));
  keyAt = await age(await keys.file('api.key', 32, { mode: 0o600 }), 100 * 24);
});

afterAll(async () => {
  await Promise.all([backups.remove(), keys.remove()]);
});

describe('runNewestFileAgeProbe on real files', () => {
  const now = () => NOW;

  it('passes when the newest matching file is recent enough', async () => {
    const result = await runNewestFileAgeProbe(ageSpec({ maxAgeHours: 26, pattern: '^backup-.*\\.tar\\.gz$' }), { now, actionId: 'backup-recent' });
    expect(result).toMatchObject({
      actionId: 'backup-recent',
      ok: true,
      summary: `newest backup-0102.tar.gz in ${backups.dir} modified ${formatUtcTime(newestBackupAt)}, 10 h ago (max 26 h)`,
    });
  });

  it('fails when the newest matching file is older than maxAgeHours', async () => {
    const result = await runNewestFileAgeProbe(ageSpec({ maxAgeHours: 6, pattern: '^backup-.*\\.tar\\.gz$' }), { now });
    expect(result).toMatchObject({ ok: false, summary: `newest backup-0102.tar.gz in ${backups.dir} modified ${formatUtcTime(newestBackupAt)}, 10 h ago (older than the 6 h max)` });
  });

  it('takes any file without a pattern', async () => {
    const result = await runNewestFileAgeProbe(ageSpec({ maxAgeHours: 2 }), { now });
    expect(result).toMatchObject({ ok: true });
    expect(result.summary).toMatch(/^newest notes\.txt in .* 1 h ago \(max 2 h\)$/);
  });

  it('fails when nothing matches, saying how many entries it looked at', async () => {
    const result = await runNewestFileAgeProbe(ageSpec({ maxAgeHours: 26, pattern: '^dump-.*\\.sql$' }), { now });
    expect(result).toMatchObject({ ok: false, summary: `no file matching ^dump-.*\\.sql$ in ${backups.dir} (5 entries)` });
  });

  it('checks a single file by its own mtime: a key older than 90 days fails', async () => {
    const result = await runNewestFileAgeProbe(ageSpec({ path: 'api.key', maxAgeHours: 90 * 24 }), { now, cwd: keys.dir });
    expect(result).toMatchObject({ ok: false, summary: `${join(keys.dir, 'api.key')} modified ${formatUtcTime(keyAt)}, 100 days ago (older than the 90 days max)` });
    const fresh = await runNewestFileAgeProbe(ageSpec({ path: join(keys.dir, 'api.key'), maxAgeHours: 120 * 24 }), { now });
    expect(fresh.ok).toBe(true);
  });

  it('fails "not found" for a missing path', async () => {
    const missing = join(backups.dir, 'gone');
    expect(await runNewestFileAgeProbe(ageSpec({ path: missing, maxAgeHours: 1 }), { now })).toMatchObject({ ok: false, summary: `not found: ${missing}` });
  });
});

describe('findNewestFile', () => {
  it('stops at the entry bound and says so', async () => {
    const found = await findNewestFile(backups.dir, { maxEntries: 2 });
    expect(found).toMatchObject({ entries: 2, stopped: 'entries' });
    expect((await findNewestFile(backups.dir)).stopped).toBeUndefined();
  });

  it('counts entries and matches', async () => {
    const found = await findNewestFile(backups.dir, { pattern: /^backup-/ });
    expect(found).toEqual({ entries: 5, matching: 2, newest: { name: 'backup-0102.tar.gz', mtimeMs: newestBackupAt } });
  });
});
