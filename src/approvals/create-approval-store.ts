import type { RedisClient } from '../redis/redis-client.js';
import { defineScript } from '../redis/define-script.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { ApprovalRequest } from '../model/approval-request.js';

/** What deciding on a request did: `decided`, or why not. */
export type DecisionOutcome =
  | { outcome: 'decided'; request: ApprovalRequest }
  | { outcome: 'missing' }
  | { outcome: 'already'; request: ApprovalRequest }
  | { outcome: 'expired'; request: ApprovalRequest }
  | { outcome: 'self'; request: ApprovalRequest };

/** Approval requests in Redis. Kept a week after they expire, for the card and the audit trail. */
export interface ApprovalStore {
  /** Stores a new pending request; false when one with this id exists (a redelivered click). */
  create(request: ApprovalRequest): Promise<boolean>;
  get(id: string): Promise<ApprovalRequest | null>;
  /** The incident's requests, oldest first. */
  listForIncident(key: string): Promise<ApprovalRequest[]>;
  /**
   * Approves or denies a pending request atomically: refused when it is no longer pending, when it
   * has expired (it becomes `expired`), or when the requester tries to approve their own request:
   * `sameAs` lists every identity of the approver's person (`by` included), so approving from
   * one's other platform is refused too.
   */
  decide(id: string, decision: 'approved' | 'denied', by: string, now: number, sameAs?: readonly string[]): Promise<DecisionOutcome>;
}

const KEEP_SECONDS = 7 * 24 * 3600;

/** As stored: the rendering as a JSON string, which the Lua below never decodes (cjson would turn `[]` into `{}`). */
type StoredRequest = Omit<ApprovalRequest, 'rendering'> & { rendering?: string };

function toStored({ rendering, ...request }: ApprovalRequest): string {
  return JSON.stringify(rendering === undefined ? request : { ...request, rendering: JSON.stringify(rendering) } satisfies StoredRequest);
}

function fromStored(raw: string): ApprovalRequest {
  const { rendering, ...request } = JSON.parse(raw) as StoredRequest;
  return rendering === undefined ? request : { ...request, rendering: JSON.parse(rendering) as ApprovalRequest['rendering'] };
}

// One step, so two approvers clicking at once cannot both approve, and an expiry is never missed.
const runDecide = defineScript<[string, string]>(
  'wardenDecideApproval',
  `
local raw = redis.call('GET', KEYS[1])
if not raw then return {'missing', ''} end
local request = cjson.decode(raw)
if request.state ~= 'pending' then return {'already', raw} end
local now = tonumber(ARGV[3])
if now >= request.expiresAt then
  request.state = 'expired'
  local out = cjson.encode(request)
  redis.call('SET', KEYS[1], out, 'KEEPTTL')
  return {'expired', out}
end
if ARGV[1] == 'approved' then
  for i = 4, #ARGV do
    if ARGV[i] == request.requestedBy then return {'self', raw} end
  end
end
request.state = ARGV[1]
request.decidedBy = ARGV[2]
request.decidedAt = now
local out = cjson.encode(request)
redis.call('SET', KEYS[1], out, 'KEEPTTL')
return {'decided', out}
`,
);

/** The approval store over one Redis connection. */
export function createApprovalStore(redis: RedisClient, keys: RedisKeys): ApprovalStore {
  const get = async (id: string) => {
    const raw = await redis.get(keys.approval(id));
    return raw ? fromStored(raw) : null;
  };
  return {
    async create(request) {
      const ttl = Math.ceil((request.expiresAt - request.requestedAt) / 1000) + KEEP_SECONDS;
      const [[setError, set], [indexError]] = (await redis
        .multi()
        .set(keys.approval(request.id), toStored(request), 'EX', ttl, 'NX')
        .zadd(keys.incidentApprovals(request.incidentKey), 'NX', String(request.requestedAt), request.id)
        .exec()) as [[Error | null, unknown], [Error | null, unknown]];
      if (setError) throw setError;
      if (indexError) throw indexError;
      return set === 'OK';
    },
    get,
    async listForIncident(key) {
      const ids = await redis.zrange(keys.incidentApprovals(key), '0', '-1');
      if (ids.length === 0) return [];
      // Every card render reads these: one MGET, not a GET per request.
      const raws = await redis.mget(ids.map((id) => keys.approval(id)));
      return raws.filter((raw): raw is string => raw !== null).map(fromStored);
    },
    async decide(id, decision, by, now, sameAs = [by]) {
      const [outcome, raw] = await runDecide(redis, [keys.approval(id)], [decision, by, now, ...new Set([by, ...sameAs])]);
      if (outcome === 'missing') return { outcome };
      return { outcome: outcome as 'decided' | 'already' | 'expired' | 'self', request: fromStored(raw) };
    },
  };
}
