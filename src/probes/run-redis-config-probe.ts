import type { RedisClient } from '../redis/redis-client.js';
import { findSlotOwner } from '../redis/find-slot-owner.js';
import type { ProbeResult } from '../model/probe-result.js';
import { sanitizeText } from '../shared/sanitize-text.js';
import { acceptsAnonymousClients } from './accepts-anonymous-clients.js';
import { describeErrorMessage } from '../shared/describe-error-message.js';
import type { ProbeRunnerOptions } from './probe-runner-options.js';
import type { ProbeSpecOf } from './probe-spec-schema.js';
import { startCheckResult } from './start-check-result.js';

const PERSISTENCE: Record<ProbeSpecOf<'redis-config'>['persistence'], { wanted: string; met: (aof: boolean, rdb: boolean) => boolean }> = {
  aof: { wanted: 'AOF (appendonly yes)', met: (aof) => aof },
  rdb: { wanted: 'RDB snapshots (save …)', met: (_aof, rdb) => rdb },
  any: { wanted: 'AOF or RDB', met: (aof, rdb) => aof || rdb },
  'none-ok': { wanted: 'none', met: () => true },
};

/**
 * Checks Warden's Redis with `CONFIG GET`: persistence (`appendonly`, `save`), `maxmemory-policy`
 * (an evicted key is a lost incident or job) and, with `requireAuth`, that it refuses clients
 * without a password (tried on a second connection without credentials): "appendonly yes, save "",
 * maxmemory-policy noeviction". Managed Redis often renames CONFIG: that is "not checked: CONFIG GET
 * refused (…)", never a pass.
 */
export async function runRedisConfigProbe(spec: ProbeSpecOf<'redis-config'>, options: ProbeRunnerOptions = {}): Promise<ProbeResult> {
  const finish = startCheckResult(spec, options);
  const redis = options.redis;
  if (redis === undefined) return finish(false, 'not checked: no Redis connection here');
  // On a cluster, the settings that matter are those of the node holding Warden's keys (the audit stream's slot).
  const node = options.auditStreamKey === undefined ? redis : findSlotOwner(redis, options.auditStreamKey);
  if (node === undefined) return finish(false, 'not checked: no connection to the cluster node holding Warden\'s keys');
  let values: string[];
  try {
    values = await Promise.all(['appendonly', 'save', 'maxmemory-policy'].map((name) => readConfig(node, name)));
  } catch (error) {
    return finish(false, `not checked: CONFIG GET refused (${describeErrorMessage(error, 120)})`);
  }
  const [appendonly = '', save = '', policy = ''] = values;

  const problems: string[] = [];
  const persistence = PERSISTENCE[spec.persistence];
  if (!persistence.met(appendonly === 'yes', save.trim() !== '')) problems.push(`no ${persistence.wanted} persistence; data is lost on restart`);
  if (policy !== spec.maxmemoryPolicy) problems.push(`maxmemory-policy ${sanitizeText(policy, 40)}, expected ${spec.maxmemoryPolicy}${spec.maxmemoryPolicy === 'noeviction' ? ' (Redis may evict incidents and jobs)' : ''}`);
  let auth = '';
  if (spec.requireAuth) {
    try {
      if (await acceptsAnonymousClients(redis, spec.timeoutSeconds * 1000)) problems.push('answers clients without a password');
      else auth = ', refuses clients without a password';
    } catch (error) {
      problems.push(`authentication not checked (${describeErrorMessage(error, 120)})`);
    }
  }
  const facts = `appendonly ${sanitizeText(appendonly, 20)}, save "${sanitizeText(save, 80)}", maxmemory-policy ${sanitizeText(policy, 40)}${auth}`;
  return finish(problems.length === 0, problems.length === 0 ? facts : `${facts}: ${problems.join('; ')}`);
}

async function readConfig(redis: RedisClient, name: string): Promise<string> {
  const reply: unknown = await redis.config('GET', name);
  // RESP2 answers [name, value]; a RESP3 map may arrive as an object.
  const value = Array.isArray(reply) ? reply[1] : (reply as Record<string, unknown> | null)?.[name];
  if (typeof value !== 'string') throw new Error(`no value for ${name}`);
  return value;
}
