import type { AuditLog } from '../audit/audit-log.js';
import type { RedisClient } from '../redis/redis-client.js';
import type { RedisKeys } from '../redis/redis-keys.js';

/** How long one audited console sign-in (or refusal) stands for the same person's later requests. */
export const CONSOLE_VISIT_WINDOW_SECONDS = 3600;

/** A console request worth an audit entry: a sign-in, or a refusal of a signed-in user without `console.view`. */
export interface ConsoleVisit {
  outcome: 'signin' | 'denied';
  /** The person (`access.people`) or the identity. */
  who: string;
  identities: readonly string[];
  /** The request's client address as the proxy reports it. */
  ip: string;
  path: string;
}

/**
 * Audits a console visit once per person and outcome per hour (`console.signin`, `console.denied`):
 * the first request wins a `SET NX` of an hour; the others write nothing. With no session cookie of
 * its own, Warden counts "a sign-in" as a person's first request within the hour.
 */
export async function auditConsoleVisit(deps: { redis: RedisClient; keys: RedisKeys; audit: AuditLog }, visit: ConsoleVisit): Promise<boolean> {
  const first = await deps.redis.set(deps.keys.consoleVisit(visit.outcome, visit.who), '1', 'EX', CONSOLE_VISIT_WINDOW_SECONDS, 'NX');
  if (first !== 'OK') return false;
  await deps.audit.append({
    type: `console.${visit.outcome}`,
    actor: visit.who,
    subject: '/console',
    outcome: visit.outcome === 'signin' ? 'ok' : 'denied',
    detail: { identities: [...visit.identities], ip: visit.ip, path: visit.path.slice(0, 200) },
  });
  return true;
}
