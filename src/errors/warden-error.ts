import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/**
 * The one error type Warden raises on purpose. `code` is stable and machine-readable (one of
 * {@link ERROR_CODES}); `status` is set when the error should become an HTTP response (see
 * `src/http/send-error.ts`); `retryable` tells job processors whether another attempt can help.
 * Both default to the code's entry in {@link ERROR_CODES}.
 */
export class WardenError extends Error {
  readonly code: ErrorCode;
  readonly status: number | undefined;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: { status?: number; retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WardenError';
    this.code = code;
    this.status = options.status ?? ERROR_CODES[code].status;
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
  }
}

/** True when `error` is a WardenError with the given code. */
export function isWardenError(error: unknown, code?: ErrorCode): error is WardenError {
  return error instanceof WardenError && (code === undefined || error.code === code);
}
