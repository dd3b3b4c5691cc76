import { statfs } from 'node:fs/promises';
import type { ProbeResult } from '../model/probe-result.js';
import { sanitizeText } from '../shared/sanitize-text.js';
import { describeFsError } from './describe-fs-error.js';
import { formatBytes } from './format-bytes.js';
import { measureTreeSize } from './measure-tree-size.js';
import type { ProbeRunnerOptions } from './probe-runner-options.js';
import { probeSignal } from './probe-signal.js';
import type { ProbeSpecOf } from './probe-spec-schema.js';
import { resolveCheckPath } from './resolve-check-path.js';
import { startCheckResult } from './start-check-result.js';

/** The walk behind `maxBytes` stops after this many entries and says so. */
export const MAX_WALK_ENTRIES = 100_000;

interface Part {
  ok: boolean;
  text: string;
}

/**
 * Checks how full the file system holding `path` is (`maxPercent`, computed like `df`) and/or how
 * much the files under `path` hold (`maxBytes`; symbolic links are not followed, at most
 * {@link MAX_WALK_ENTRIES} entries): "file system of /data 72.4% used (max 85%), 14 GiB free of
 * 50 GiB; /data holds 3.2 GiB in 1520 files (max 10 GiB)". A walk that could not finish fails:
 * what it did not see is not known to be small.
 */
export async function runDiskUsageProbe(spec: ProbeSpecOf<'disk-usage'>, options: ProbeRunnerOptions = {}): Promise<ProbeResult> {
  const finish = startCheckResult(spec, options);
  const path = resolveCheckPath(spec.path, options);
  const parts: Part[] = [];
  try {
    if (spec.maxPercent !== undefined) parts.push(await checkFileSystem(path, spec.maxPercent));
    if (spec.maxBytes !== undefined) parts.push(await checkTreeSize(path, spec.maxBytes, spec.timeoutSeconds, probeSignal(spec, options)));
  } catch (error) {
    return finish(false, describeFsError(error, path));
  }
  return finish(
    parts.every((part) => part.ok),
    parts.map((part) => part.text).join('; '),
  );
}

async function checkFileSystem(path: string, maxPercent: number): Promise<Part> {
  const fs = await statfs(path);
  const used = (fs.blocks - fs.bfree) * fs.bsize;
  const available = fs.bavail * fs.bsize;
  // Like df: blocks reserved for root count neither as used nor as available.
  const percent = used + available === 0 ? 0 : (used / (used + available)) * 100;
  const ok = percent <= maxPercent;
  const shown = `${Math.round(percent * 10) / 10}%`;
  return {
    ok,
    text: `file system of ${sanitizeText(path, 200)} ${shown} used (${ok ? `max ${maxPercent}%` : `over the ${maxPercent}% max`}), ${formatBytes(available)} free of ${formatBytes(fs.blocks * fs.bsize)}`,
  };
}

async function checkTreeSize(path: string, maxBytes: number, timeoutSeconds: number, signal: AbortSignal): Promise<Part> {
  const size = await measureTreeSize(path, { maxEntries: MAX_WALK_ENTRIES, signal });
  const over = size.bytes > maxBytes;
  const unreadable = size.unreadable > 0 ? `, ${size.unreadable} unreadable entr${size.unreadable === 1 ? 'y' : 'ies'} not counted` : '';
  const held = `${sanitizeText(path, 200)} holds ${size.stopped ? 'at least ' : ''}${formatBytes(size.bytes)} in ${size.files} file${size.files === 1 ? '' : 's'}`;
  if (size.stopped) {
    const why = size.stopped === 'entries' ? `walk stopped at ${MAX_WALK_ENTRIES} entries` : `walk stopped after ${timeoutSeconds} s`;
    return { ok: false, text: `${held} (${why}; ${over ? `over the ${formatBytes(maxBytes)} max` : `not known to be under ${formatBytes(maxBytes)}`})${unreadable}` };
  }
  return { ok: !over, text: `${held} (${over ? `over the ${formatBytes(maxBytes)} max` : `max ${formatBytes(maxBytes)}`})${unreadable}` };
}
