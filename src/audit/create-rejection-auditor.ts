import type { Logger } from 'pino';
import type { AuditLog } from './audit-log.js';

/** Options for {@link createRejectionAuditor}. */
export interface RejectionAuditorOptions {
  audit: AuditLog;
  logger: Logger;
  now: () => number;
  /** Length of a window in ms, aligned to the clock (a minute starts at :00). Default 60 000. */
  windowMs?: number;
  /** Sources named, with their counts, per entry; refusals from others are only counted. Default 10. */
  sampleSize?: number;
  /** Distinct reasons named per entry; the rest are counted as `other`. Default 10. */
  maxReasons?: number;
  /** Routes with an open window at once; a further one writes out the oldest first. Default 64. */
  maxRoutes?: number;
}

/** Counts refused requests and writes them to the audit log, one entry per route and window. */
export interface RejectionAuditor {
  /** Counts one refused request. Never throws and never waits: the response is not delayed. */
  record(route: string, source: string, reason: string): void;
  /** Writes out every open window now (on shutdown). Never rejects. */
  flush(): Promise<void>;
}

interface Window {
  start: number;
  count: number;
  sources: Map<string, number>;
  fromOtherSources: number;
  reasons: Map<string, number>;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Audits requests refused for bad authentication (`inbound.rejected`). Unauthenticated traffic must
 * not be able to flood the chain, however many addresses it comes from: each process writes one
 * entry per route and window (a minute by default), when the window ends, with `detail`
 * `{ from, to, count, sources: { address: count } (the first few), fromOtherSources, reasons }` —
 * never a secret or a signature.
 */
export function createRejectionAuditor(options: RejectionAuditorOptions): RejectionAuditor {
  const windowMs = options.windowMs ?? 60_000;
  const sampleSize = options.sampleSize ?? 10;
  const maxReasons = options.maxReasons ?? 10;
  const maxRoutes = options.maxRoutes ?? 64;
  const open = new Map<string, Window>();
  const pending = new Set<Promise<unknown>>();

  const writeOut = (route: string) => {
    const window = open.get(route);
    if (!window) return;
    open.delete(route);
    clearTimeout(window.timer);
    const detail = {
      from: new Date(window.start).toISOString(),
      to: new Date(window.start + windowMs).toISOString(),
      count: window.count,
      sources: Object.fromEntries(window.sources),
      fromOtherSources: window.fromOtherSources,
      reasons: Object.fromEntries(window.reasons),
    };
    const appended = options.audit
      .append({ type: 'inbound.rejected', actor: 'unauthenticated', subject: route, outcome: 'unauthorized', detail })
      .catch((error: unknown) => options.logger.warn({ err: error, route, count: window.count }, 'could not audit refused requests'));
    pending.add(appended);
    void appended.finally(() => pending.delete(appended));
  };

  const openWindow = (route: string, now: number): Window => {
    if (open.size >= maxRoutes) writeOut(open.keys().next().value!);
    const start = Math.floor(now / windowMs) * windowMs;
    // The timer writes the window out when it ends even if no further request comes; unref: it never keeps the process alive.
    const timer = setTimeout(() => writeOut(route), Math.max(0, start + windowMs - now));
    timer.unref();
    const window: Window = { start, count: 0, sources: new Map(), fromOtherSources: 0, reasons: new Map(), timer };
    open.set(route, window);
    return window;
  };

  return {
    record(route, source, reason) {
      const now = options.now();
      let window = open.get(route);
      if (window && now >= window.start + windowMs) {
        writeOut(route);
        window = undefined;
      }
      window ??= openWindow(route, now);
      window.count += 1;
      const seen = window.sources.get(source);
      if (seen !== undefined) window.sources.set(source, seen + 1);
      else if (window.sources.size < sampleSize) window.sources.set(source, 1);
      else window.fromOtherSources += 1;
      const named = window.reasons.has(reason) || window.reasons.size < maxReasons ? reason : 'other';
      window.reasons.set(named, (window.reasons.get(named) ?? 0) + 1);
    },
    async flush() {
      for (const route of [...open.keys()]) writeOut(route);
      await Promise.all(pending);
    },
  };
}
