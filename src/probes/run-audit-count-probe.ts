import type { ProbeResult } from '../model/probe-result.js';
import { countAuditEntries, type AuditCount } from './count-audit-entries.js';
import { describeErrorMessage } from '../shared/describe-error-message.js';
import { formatUtcTime } from '../shared/format-utc-time.js';
import type { ProbeRunnerOptions } from './probe-runner-options.js';
import { probeSignal } from './probe-signal.js';
import type { ProbeSpecOf } from './probe-spec-schema.js';
import { startCheckResult } from './start-check-result.js';

/** The scan reads at most this many audit entries and says so when it stops there. */
export const MAX_AUDIT_SCAN = 200_000;

const HOUR_MS = 3_600_000;

/** How the summary names the well-known types: [one, many]. */
const NOUNS: Record<string, [string, string]> = {
  'inbound.rejected': ['authentication failure', 'authentication failures'],
  'access.denied': ['denial', 'denials'],
  'access.limited': ['rate-limited request', 'rate-limited requests'],
};

/**
 * Counts the audit entries of `types` in the last `windowHours` hours (refusals folded into one
 * entry count one by one) and fails above `max`: "3 authentication failures and 1 denial in the
 * last 24 h (max 0); latest 2026-01-05 03:12 UTC". Needs `redis` and `auditStreamKey`, and `auditFile`
 * once checkpoints have trimmed the stream and the window reaches back before it.
 */
export async function runAuditCountProbe(spec: ProbeSpecOf<'audit-count'>, options: ProbeRunnerOptions = {}): Promise<ProbeResult> {
  const now = options.now ?? Date.now;
  const finish = startCheckResult(spec, options);
  if (options.redis === undefined) return finish(false, 'not checked: no Redis connection here');
  if (options.auditStreamKey === undefined) return finish(false, 'not checked: the audit log’s stream is not known here');
  let found: AuditCount;
  try {
    found = await countAuditEntries(options.redis, options.auditStreamKey, {
      types: spec.types,
      since: now() - spec.windowHours * HOUR_MS,
      ...(options.auditFile === undefined ? {} : { file: options.auditFile }),
      maxEntries: MAX_AUDIT_SCAN,
      signal: probeSignal(spec, options),
    });
  } catch (error) {
    return finish(false, `not checked: reading the audit log failed (${describeErrorMessage(error, 120)})`);
  }

  const total = [...found.counts.values()].reduce((sum, n) => sum + n, 0);
  const counted = spec.types.filter((type) => (found.counts.get(type) ?? 0) > 0).map((type) => `${found.counts.get(type)} ${nameCount(type, found.counts.get(type)!)}`);
  const what = counted.length > 0 ? joinWords(counted) : `no ${joinWords(spec.types.map((type) => nameCount(type, 0)), 'or')}`;
  let summary = `${what} in the last ${spec.windowHours} h (max ${spec.max})`;
  if (found.latestAt !== undefined) summary += `; latest ${formatUtcTime(found.latestAt)}`;
  if (found.unreadable > 0) summary += `; ${found.unreadable} unreadable entr${found.unreadable === 1 ? 'y' : 'ies'} skipped`;
  if (found.stopped === 'trimmed') {
    summary += `; entries before seq ${found.trimmedBefore} are only in the audit file, which is not readable here: not counted`;
  } else if (found.stopped !== undefined) {
    summary += found.stopped === 'entries' ? `; scan stopped at ${MAX_AUDIT_SCAN} entries, older ones not counted` : `; scan stopped after ${spec.timeoutSeconds} s, older entries not counted`;
  }
  // A scan that stopped early may have missed entries: only a count already over max is certain.
  return finish(total <= spec.max && found.stopped === undefined, summary);
}

/** The noun for `n` entries of `type`: "denial", "denials", "job.failed entries". */
function nameCount(type: string, n: number): string {
  const nouns = NOUNS[type];
  if (nouns !== undefined) return n === 1 ? nouns[0] : nouns[1];
  return `${type} entr${n === 1 ? 'y' : 'ies'}`;
}

function joinWords(words: string[], last = 'and'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${last} ${words.at(-1)}`;
}
