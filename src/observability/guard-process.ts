import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';

/** Options for {@link guardProcess}. */
export interface GuardProcessOptions {
  logger: Logger;
  /** Counts each error by `origin` (`uncaughtException` / `unhandledRejection`). */
  counter: Counter<'origin'>;
  /** The process to guard; tests pass an emitter of their own. Default `process`. */
  target?: EventEmitter;
}

/**
 * Keeps one stray error from ending Warden: an exception thrown where nothing catches it (a
 * library's callback, a timer) or a promise rejected with no handler is logged at error level and
 * counted in `warden_uncaught_errors_total`, and the process goes on serving. Every request, job
 * and connection already handles its own failures; what reaches this guard is a bug to fix (alert
 * on the counter), not a reason to drop every incident in flight and every click being answered.
 * Returns a function that removes the guard.
 */
export function guardProcess(options: GuardProcessOptions): () => void {
  const target = options.target ?? process;
  const onException = (error: unknown, origin?: string) => {
    // Node passes `unhandledRejection` as the origin when a rejection is turned into an exception.
    const label = origin === 'unhandledRejection' ? 'unhandledRejection' : 'uncaughtException';
    options.counter.inc({ origin: label });
    options.logger.error({ err: error, origin: label }, 'an error nothing caught; Warden keeps running (this is a bug: please report it)');
  };
  const onRejection = (reason: unknown) => onException(reason, 'unhandledRejection');
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return () => {
    target.off('uncaughtException', onException);
    target.off('unhandledRejection', onRejection);
  };
}
