import type { Logger } from 'pino';
import type { AuditLog } from './audit-log.js';

/** Options for {@link createRejectionAuditor}. */
export interface RejectionAuditorOptions {
  audit: AuditLog;
  logger: Logger;
  now: () => number;
  /** At most one entry per route and source address in this many ms; later ones are counted. Default 60 000. */
  windowMs?: number;
  /** Sources remembered at once (oldest forgotten first). Default 10 000. */
  maxSources?: number;
}

/**
 * Audits requests refused for bad authentication (`inbound.rejected`: route, source address, the
 * verifier's reason — never a secret or a signature). Unauthenticated traffic must not be able to
 * flood the chain: one entry per route and source per window, carrying how many were refused since
 * the previous one. Appending never delays or fails the response.
 */
export function createRejectionAuditor(options: RejectionAuditorOptions): (route: string, source: string, reason: string) => void {
  const windowMs = options.windowMs ?? 60_000;
  const maxSources = options.maxSources ?? 10_000;
  const seen = new Map<string, { at: number; suppressed: number }>();

  return (route, source, reason) => {
    const key = `${route} ${source}`;
    const now = options.now();
    const last = seen.get(key);
    if (last && now - last.at < windowMs) {
      last.suppressed += 1;
      return;
    }
    seen.delete(key);
    if (seen.size >= maxSources) seen.delete(seen.keys().next().value!);
    seen.set(key, { at: now, suppressed: 0 });
    options.audit
      .append({ type: 'inbound.rejected', actor: 'unauthenticated', subject: route, outcome: 'unauthorized', detail: { source, reason, refusedBefore: last?.suppressed ?? 0 } })
      .catch((error: unknown) => options.logger.warn({ err: error, route }, 'could not audit a refused request'));
  };
}
