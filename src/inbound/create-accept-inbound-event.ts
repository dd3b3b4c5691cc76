import { createHash } from 'node:crypto';
import { localize } from '../shared/messages/localize.js';
import type { RedisClient } from '../redis/redis-client.js';
import type { Logger } from 'pino';
import type { ChatCommand } from '../../commands/command.js';
import { takeCommandBudget } from '../access/take-command-budget.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Config } from '../config/config-schema.js';
import { isWardenError, WardenError } from '../errors/warden-error.js';
import type { Work } from '../ports/work.js';
import { isRedisUnavailable } from '../redis/is-redis-unavailable.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { AcceptInboundEvent, Acceptance } from './acceptance.js';
import { authorizeInboundEvent } from './authorize-inbound-event.js';
import type { ButtonHandler } from './button-handler.js';
import { claimInboundEvent, releaseInboundEvent, type ClaimKey } from './claim-inbound-event.js';
import { DEDUPE_TTL_SECONDS } from '../model/inbound-event.js';
import { translate } from '../shared/messages/translate.js';

/** What accepting inbound events needs. */
export interface AcceptInboundEventDeps {
  /** The fail-fast producer connection. */
  redis: RedisClient;
  keys: RedisKeys;
  work: Work;
  config: Pick<Config, 'slack' | 'lark' | 'access' | 'limits' | 'actions'> & Partial<Pick<Config, 'locale'>>;
  commands: readonly ChatCommand[];
  buttons: readonly ButtonHandler[];
  audit: AuditLog;
  logger: Logger;
  now: () => number;
}

// A signed Lark request is valid for ±300 s; remembering its nonce a little longer covers it.
const REPLAY_TTL_SECONDS = 660;

/** The `inbound` job id for an event: deterministic (redeliveries map to one job), without ":". */
function toInboundJobId(eventId: string): string {
  return `inbound.${createHash('sha256').update(eventId).digest('hex').slice(0, 40)}`;
}

/**
 * The edge's half of inbound handling, run before the platform gets its answer: remember the
 * delivery (a redelivery or replay is a `duplicate` with no second effect), authorize it (refusals
 * are audited and queue nothing), rate-limit commands per identity, then queue the work as an
 * `inbound` job. A failure forgets the delivery again, so the platform's retry gets a fresh chance:
 * an unreachable Redis throws `store_unavailable` (503); anything else is an internal error (500),
 * never reported as Redis being unavailable.
 */
export function createAcceptInboundEvent(deps: AcceptInboundEventDeps): AcceptInboundEvent {
  const { redis, keys, config } = deps;

  return async (event, options = {}): Promise<Acceptance> => {
    const claims: ClaimKey[] = [{ key: keys.inboundSeen(event.id), ttlSeconds: DEDUPE_TTL_SECONDS[event.platform] }];
    if (options.replayKey !== undefined) claims.push({ key: keys.inboundReplay(`${event.platform}:${options.replayKey}`), ttlSeconds: REPLAY_TTL_SECONDS });
    let claimed: boolean;
    try {
      claimed = await claimInboundEvent(redis, claims);
    } catch (error) {
      throw toAcceptError(error);
    }
    if (!claimed) return { outcome: 'duplicate' };

    try {
      const authorization = authorizeInboundEvent(config, deps.commands, deps.buttons, event);
      const who = { actor: event.identity, subject: authorization.subject };
      const detail = { platform: event.platform, tenant: event.tenant, destination: event.destination ?? null, event: event.id };
      if (!authorization.ok) {
        if (authorization.reason !== 'usage') {
          await deps.audit.append({ type: `access.${authorization.reason}`, ...who, outcome: 'refused', detail: { ...detail, permission: authorization.permission ?? null } });
        }
        return { outcome: 'refused', reason: authorization.reason, message: authorization.message, text: authorization.text };
      }
      if (event.input.type === 'command') {
        const perMinute = config.limits.commandsPerUserPerMinute;
        const waitMs = await takeCommandBudget(redis, keys.commandBudget(event.identity), perMinute, deps.now());
        if (waitMs > 0) {
          const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
          await deps.audit.append({ type: 'access.limited', ...who, outcome: 'refused', detail: { ...detail, retryAfterSeconds } });
          return {
            outcome: 'refused',
            reason: 'limited',
            retryAfterSeconds,
            message: translate(config.locale ?? 'en', 'refusal.rateLimited', { perMinute, seconds: retryAfterSeconds }),
            text: localize('refusal.rateLimited', { perMinute, seconds: retryAfterSeconds }),
          };
        }
      }
      await deps.work.handleInbound(event);
      return { outcome: 'queued' };
    } catch (error) {
      await releaseInboundEvent(redis, claims).catch((releaseError: unknown) =>
        deps.logger.warn({ err: releaseError, event: event.id }, 'could not forget a failed inbound delivery; its redelivery will count as a duplicate'),
      );
      throw isWardenError(error) && error.status !== undefined ? error : toAcceptError(error);
    }
  };
}

/** Redis out of reach becomes 503 `store_unavailable`; any other error stays itself (a 500 that reveals nothing). */
function toAcceptError(cause: unknown): unknown {
  if (!isRedisUnavailable(cause)) return cause;
  return new WardenError('store_unavailable', 'Warden cannot store this request right now (Redis is unavailable); the platform will deliver it again', { cause });
}
