import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readAuditFile } from '../audit/read-audit-file.js';
import { verifyAuditChain, type VerifyAuditChainResult } from '../audit/verify-audit-chain.js';
import { listSecrets } from '../config/list-secrets.js';
import { loadConfig } from '../config/load-config.js';
import { createSecretScrubber } from '../observability/scrub-secrets.js';
import { createRedisKeys } from '../redis/redis-keys.js';
import type { CliIo } from './main.js';
import { readRedisTarget } from '../redis/read-redis-target.js';
import type { RedisTarget } from '../redis/redis-target.js';
import { connectRedisOnce } from '../self-audit/connect-redis-once.js';

type HeadLookup =
  | { status: 'compared'; head: { seq: number; hash: string } }
  | { status: 'no-chain' }
  | { status: 'unreachable'; error: string };

/** The chain head in Redis, asked once with a short timeout: verification must not hang on a Redis that is down. */
async function readRedisHead(target: RedisTarget, key: string, secrets: readonly string[]): Promise<HeadLookup> {
  const connection = await connectRedisOnce(target, { connectionName: 'warden-audit-verify' });
  if (!connection.redis) return { status: 'unreachable', error: connection.error };
  try {
    const [seq, hash] = await connection.redis.hmget(key, 'seq', 'hash');
    if (!seq || !hash) return { status: 'no-chain' };
    return { status: 'compared', head: { seq: Number(seq), hash } };
  } catch (error) {
    // Scrubbed: a connection error may quote the URL.
    return { status: 'unreachable', error: createSecretScrubber(secrets)((error as Error).message) };
  } finally {
    connection.redis.disconnect();
  }
}

/**
 * `warden audit-log verify [--file <path>] [--json]`: recomputes the hash chain of the audit JSONL
 * file (`audit.file`, keyed with `audit.hmacKey` when configured) and, when Redis answers, checks
 * that the file ends at the chain's head in Redis (a cut-off tail is otherwise invisible). Prints
 * `ok: N entries, chain intact (last seq S)` and exits 0, or `FAILED at seq S: reason` and exits 1.
 */
export async function runAuditLogVerifyCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { file: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true });
  if (values.file === '') {
    io.stderr('warden audit-log verify: --file needs a path\n');
    return 2;
  }
  // Verifying needs no webhook token; without a config file a throwaway one satisfies the schema.
  const config = loadConfig({ env: io.env, fallbackWebhookToken: () => randomBytes(32).toString('hex') });
  const file = resolve(values.file ?? config.audit.file);
  const hmacKey = config.audit.hmacKey;

  // The head is read before the file: entries appended meanwhile then cannot look like a cut-off tail.
  const lookup = await readRedisHead(readRedisTarget(config.redis), createRedisKeys(config.redis.prefix).auditHead, listSecrets(config));
  const contents = await readAuditFile(file);
  const result: VerifyAuditChainResult = verifyAuditChain(contents.entries, {
    hmacKey,
    head: lookup.status === 'compared' ? lookup.head : undefined,
    describeEntry: (index) => `line ${index + 1}`,
  });

  let reason = result.ok ? undefined : result.reason;
  if (!result.ok && result.index !== undefined) {
    const line = result.index + 1;
    const unreadable = contents.malformed.find((m) => m.line === line);
    if (unreadable) reason = `line ${line} is ${unreadable.reason === 'empty line' ? 'empty' : unreadable.reason}`;
  }
  const notes: string[] = [];
  if (lookup.status === 'unreachable') {
    notes.push(`Redis was not reachable (${lookup.error}): only the file was checked, so a cut-off tail cannot be detected`);
  } else if (lookup.status === 'no-chain') {
    notes.push(`Redis holds no audit chain under the prefix "${config.redis.prefix}": only the file was checked`);
  }
  if (!result.ok && !hmacKey && result.reason.includes('hash does not match')) {
    notes.push('no audit.hmacKey is configured: if the log was written with one, set it (e.g. WARDEN_AUDIT_KEY) and verify again');
  }

  if (values.json) {
    const report = result.ok
      ? { ok: true, file, count: result.count, lastSeq: result.lastSeq, lastHash: result.lastHash, redis: lookup.status, notes }
      : {
          ok: false,
          file,
          count: result.count,
          firstBadSeq: result.firstBadSeq,
          reason,
          line: result.index === undefined ? undefined : result.index + 1,
          redis: lookup.status,
          notes,
        };
    io.stdout(`${JSON.stringify(report)}\n`);
  } else {
    const summary = result.ok
      ? `ok: ${result.count} entries, chain intact (last seq ${result.lastSeq})`
      : `FAILED at seq ${result.firstBadSeq}: ${reason}`;
    io.stdout([`${summary}`, `  file: ${file}`, ...notes.map((note) => `  note: ${note}`), ''].join('\n'));
  }
  return result.ok ? 0 : 1;
}
