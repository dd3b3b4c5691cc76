/**
 * The one error type Warden raises on purpose. `code` is stable and machine-readable; `status` is
 * set when the error should become an HTTP response (see `src/http/send-error.ts`); `retryable`
 * tells job processors whether another attempt can help.
 */
export class WardenError extends Error {
  readonly code: string;
  readonly status: number | undefined;
  readonly retryable: boolean;

  constructor(code: string, message: string, options: { status?: number; retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WardenError';
    this.code = code;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
  }
}

/** True when `error` is a WardenError with the given code. */
export function isWardenError(error: unknown, code?: string): error is WardenError {
  return error instanceof WardenError && (code === undefined || error.code === code);
}
