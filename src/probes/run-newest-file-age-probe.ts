import { basename } from 'node:path';
import { stat } from 'node:fs/promises';
import type { ProbeResult } from '../model/probe-result.js';
import { sanitizeText } from '../shared/sanitize-text.js';
import { describeFsError } from './describe-fs-error.js';
import { findNewestFile, type NewestFile } from './find-newest-file.js';
import { formatUtcTime } from '../shared/format-utc-time.js';
import { formatAge } from './format-age.js';
import type { ProbeRunnerOptions } from './probe-runner-options.js';
import { probeSignal } from './probe-signal.js';
import type { ProbeSpecOf } from './probe-spec-schema.js';
import { resolveCheckPath } from './resolve-check-path.js';
import { startCheckResult } from './start-check-result.js';

/** At most this many directory entries are looked at. */
export const MAX_DIRECTORY_ENTRIES = 100_000;

const HOUR_MS = 3_600_000;

/**
 * Checks that something recent exists: for a directory, its newest regular file whose name matches
 * `pattern` (not recursive); for a file, the file itself. Fails when nothing matches or the newest
 * was modified more than `maxAgeHours` ago: "newest backup-0105.tar.gz in /backups modified
 * 2026-01-05 03:00 UTC, 30 h ago (older than the 26 h max)". Key files' age works the same way.
 */
export async function runNewestFileAgeProbe(spec: ProbeSpecOf<'newest-file-age'>, options: ProbeRunnerOptions = {}): Promise<ProbeResult> {
  const now = options.now ?? Date.now;
  const finish = startCheckResult(spec, options);
  const path = resolveCheckPath(spec.path, options);
  const shownPath = sanitizeText(path, 200);
  let found: NewestFile;
  let directory = false;
  try {
    const info = await stat(path);
    directory = info.isDirectory();
    found = directory
      ? await findNewestFile(path, { pattern: spec.pattern === undefined ? undefined : new RegExp(spec.pattern), maxEntries: MAX_DIRECTORY_ENTRIES, signal: probeSignal(spec, options) })
      : { newest: { name: basename(path), mtimeMs: info.mtimeMs }, entries: 1, matching: 1 };
  } catch (error) {
    return finish(false, describeFsError(error, path));
  }

  const partial = found.stopped === undefined ? '' : found.stopped === 'entries' ? `; looked at the first ${MAX_DIRECTORY_ENTRIES} entries only` : `; stopped after ${spec.timeoutSeconds} s`;
  if (found.newest === undefined) {
    const what = spec.pattern === undefined ? 'no file' : `no file matching ${sanitizeText(spec.pattern, 80)}`;
    return finish(false, `${what} in ${shownPath} (${found.entries} entr${found.entries === 1 ? 'y' : 'ies'}${partial})`);
  }
  const age = now() - found.newest.mtimeMs;
  const fresh = age <= spec.maxAgeHours * HOUR_MS;
  const max = formatAge(spec.maxAgeHours * HOUR_MS);
  const subject = directory ? `newest ${sanitizeText(found.newest.name, 80)} in ${shownPath}` : shownPath;
  // A fresh file among those seen proves the point; a stale one may hide a newer one among the rest.
  return finish(fresh, `${subject} modified ${formatUtcTime(found.newest.mtimeMs)}, ${formatAge(age)} ago (${fresh ? `max ${max}` : `older than the ${max} max`})${fresh ? '' : partial}`);
}
