import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { KnownCheckpoint } from '../audit/audit-checkpoint.js';
import { readAuditFile } from '../audit/read-audit-file.js';
import { readAuditRedisState, type AuditRedisLookup } from '../audit/read-audit-redis-state.js';
import { verifyAuditLog, type VerifyAuditLogResult } from '../audit/verify-audit-log.js';
import { listSecrets } from '../config/list-secrets.js';
import { createSecretScrubber } from '../observability/scrub-secrets.js';
import { createRedisKeys } from '../redis/redis-keys.js';
import type { CliIo } from './main.js';
import { findCommandRedis, loadCommandConfig } from './load-command-config.js';
import type { RedisTarget } from '../redis/redis-target.js';
import { connectRedisOnce } from '../self-audit/connect-redis-once.js';

/** Exit code when the file checks passed but nothing could vouch for its end: Redis did not answer. */
export const EXIT_NOT_VERIFIED = 3;

type RedisLookup = ({ status: 'compared' | 'no-chain' } & AuditRedisLookup) | { status: 'unreachable'; error: string } | { status: 'not-consulted' };

const CHECKPOINT_ARG = /^(\d{1,15}):([0-9a-fA-F]{64})$/;

/** Redis' side of the chain, asked once with a short timeout: verification must not hang on a Redis that is down. */
async function lookUpRedis(target: RedisTarget, prefix: string, secrets: readonly string[]): Promise<RedisLookup> {
  const connection = await connectRedisOnce(target, { connectionName: 'warden-audit-verify' });
  if (!connection.redis) return { status: 'unreachable', error: connection.error };
  try {
    const lookup = await readAuditRedisState(connection.redis, createRedisKeys(prefix));
    return { status: lookup.state ? 'compared' : 'no-chain', ...lookup };
  } catch (error) {
    // Scrubbed: a connection error may quote the URL.
    return { status: 'unreachable', error: createSecretScrubber(secrets)((error as Error).message) };
  } finally {
    connection.redis.disconnect();
  }
}

/** `--checkpoint <seq>:<hash>` values, or the first one that is not. */
function parseCheckpoints(values: readonly string[]): { given: KnownCheckpoint[]; bad?: string } {
  const given: KnownCheckpoint[] = [];
  for (const value of values) {
    const match = CHECKPOINT_ARG.exec(value);
    if (!match || Number(match[1]) < 1) return { given, bad: value };
    given.push({ seq: Number(match[1]), hash: match[2]!.toLowerCase(), source: `--checkpoint ${match[1]}:${match[2]!.slice(0, 12).toLowerCase()}…`, signed: false });
  }
  return { given };
}

/**
 * `warden audit-log verify [--file <path>] [--checkpoint <seq>:<hash>]… [--offline] [--json]`:
 * recomputes the hash chain of the audit JSONL file (`audit.file`, keyed with `audit.hmacKey`),
 * holds it against every checkpoint known (in the file, in Redis, given), and against Redis: the file
 * must end at the chain's head and hold what the stream still holds. Exit 0: verified; 1: a check
 * failed (`FAILED …`), the head is missing, or the file is unreadable; 2: usage; 3 (not verified):
 * the file checks passed but Redis did not answer. `--offline` checks the file alone and says it is
 * weaker: only a checkpoint from outside can then show a cut-off tail or a rollback.
 */
export async function runAuditLogVerifyCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      file: { type: 'string' },
      json: { type: 'boolean', default: false },
      offline: { type: 'boolean', default: false },
      checkpoint: { type: 'string', multiple: true, default: [] },
    },
    strict: true,
  });
  if (values.file === '') {
    io.stderr('warden audit-log verify: --file needs a path\n');
    return 2;
  }
  const { given, bad } = parseCheckpoints(values.checkpoint);
  if (bad !== undefined) {
    io.stderr(`warden audit-log verify: --checkpoint needs <seq>:<hash> (the seq and 64 hex characters of a posted checkpoint), got "${bad}"\n`);
    return 2;
  }
  // Verifying needs no webhook token: without one, none is asked for.
  const loaded = loadCommandConfig(io, 'read');
  const { config } = loaded;
  const file = resolve(values.file ?? config.audit.file);
  const hmacKey = config.audit.hmacKey;
  const prefix = config.redis.prefix;

  // Redis is read before the file: entries appended meanwhile then cannot look like a cut-off tail.
  const lookup: RedisLookup = values.offline ? { status: 'not-consulted' } : await lookUpRedis(await findCommandRedis(loaded), prefix, listSecrets(config));
  const contents = await readAuditFile(file);
  const redis = lookup.status === 'compared' ? lookup.state : undefined;
  const result: VerifyAuditLogResult = verifyAuditLog(contents.entries, { hmacKey, redis, given, describeEntry: (index) => `line ${index + 1}` });

  let reason = result.ok ? undefined : result.reason;
  if (!result.ok && result.index !== undefined) {
    const line = result.index + 1;
    const unreadable = contents.malformed.find((m) => m.line === line);
    if (unreadable) reason = `line ${line} is ${unreadable.reason === 'empty line' ? 'empty' : unreadable.reason}`;
  }
  let code = result.ok ? 0 : 1;
  if (result.ok && lookup.status === 'no-chain') {
    code = 1;
    reason =
      `Redis holds no audit chain head under the prefix "${prefix}" (key ${createRedisKeys(prefix).auditHead} is missing` +
      `${lookup.streamLength > 0 ? `, while the stream holds ${lookup.streamLength} entries` : ''}): the head was deleted, or this is the wrong Redis or prefix`;
  } else if (result.ok && lookup.status === 'unreachable') {
    code = EXIT_NOT_VERIFIED;
    reason = `Redis was not reachable (${lookup.error}): the file's chain is intact, but without the head a cut-off tail or a rollback cannot be seen; verify again when Redis answers, or pass --offline for a file-only check`;
  }

  const notes: string[] = [];
  if (!result.ok && lookup.status === 'unreachable') notes.push(`Redis was not reachable (${lookup.error}): the file was checked alone`);
  if (lookup.status === 'not-consulted') {
    notes.push('file only (--offline): Redis was not consulted, so this shows the file is consistent in itself and with the checkpoints known, not that it is complete: a cut-off tail or a rollback of Redis and the file together shows only against a checkpoint taken from outside (--checkpoint)');
  }
  if (result.ok && result.streamFrom !== undefined && result.streamFrom > 1) {
    notes.push(`Redis holds the chain from seq ${result.streamFrom} on; seq 1–${result.streamFrom - 1} were trimmed after a checkpoint and were checked in the file only`);
  }
  if (!result.ok && !hmacKey && result.reason.includes('hash does not match')) {
    notes.push('no audit.hmacKey is configured: if the log was written with one, set it (e.g. WARDEN_AUDIT_KEY) and verify again');
  }
  const checkpoint = result.ok && result.lastCheckpoint ? { seq: result.lastCheckpoint.seq, hash: result.lastCheckpoint.hash, source: result.lastCheckpoint.source } : undefined;
  const failedAt = result.ok ? undefined : result.firstBadSeq;

  if (values.json) {
    const report = {
      ok: code === 0,
      file,
      count: result.count,
      ...(result.ok ? { lastSeq: result.lastSeq, lastHash: result.lastHash } : { firstBadSeq: failedAt }),
      ...(reason === undefined ? {} : { reason }),
      line: result.ok || result.index === undefined ? undefined : result.index + 1,
      ...(checkpoint ? { lastCheckpoint: checkpoint } : {}),
      ...(result.ok && result.streamFrom !== undefined ? { streamFrom: result.streamFrom } : {}),
      redis: lookup.status,
      exitCode: code,
      notes,
    };
    io.stdout(`${JSON.stringify(report)}\n`);
  } else {
    const summary =
      code === 0
        ? `ok${lookup.status === 'not-consulted' ? ' (file only)' : ''}: ${result.count} entries, chain intact (last seq ${result.ok ? result.lastSeq : '?'})`
        : code === EXIT_NOT_VERIFIED
          ? `NOT VERIFIED: ${reason}`
          : `FAILED${failedAt === undefined ? '' : ` at seq ${failedAt}`}: ${reason}`;
    const lines = [summary, `  file: ${file}`];
    if (checkpoint && code === 0) lines.push(`  last checkpoint: seq ${checkpoint.seq} (${checkpoint.source})`);
    io.stdout([...lines, ...notes.map((note) => `  note: ${note}`), ''].join('\n'));
  }
  return code;
}
