import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../../src/errors/error-codes.js';
import { isWardenError, WardenError } from '../../../src/errors/warden-error.js';

const entries = Object.entries(ERROR_CODES) as [ErrorCode, (typeof ERROR_CODES)[ErrorCode]][];

describe('ERROR_CODES', () => {
  it('names every code in snake_case', () => {
    for (const [code] of entries) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it('gives every code an HTTP error status or says it has none, and a retry semantics', () => {
    for (const [code, info] of entries) {
      expect('status' in info, code).toBe(true);
      if (info.status !== undefined) {
        expect(info.status, code).toBeGreaterThanOrEqual(400);
        expect(info.status, code).toBeLessThanOrEqual(599);
      }
      expect(typeof info.retryable, code).toBe('boolean');
    }
  });

  it('is where a WardenError takes its status and retry semantics from, unless it is given its own', () => {
    expect(new WardenError('store_unavailable', 'x')).toMatchObject({ status: 503, retryable: true });
    expect(new WardenError('chat_rejected', 'x')).toMatchObject({ status: undefined, retryable: false });
    expect(new WardenError('bad_request', 'x', { status: 405 }).status).toBe(405);
    expect(new WardenError('audit_unavailable', 'x', { retryable: false }).retryable).toBe(false);
  });

  it('accepts only its codes where a code is expected', () => {
    const error: unknown = new WardenError('card_invalid', 'x');
    expect(isWardenError(error, 'card_invalid')).toBe(true);
    // @ts-expect-error an unknown code does not compile
    expect(isWardenError(error, 'not_a_code')).toBe(false);
    // Never called: a code outside the catalogue has no defaults to take; what counts is that it does not compile.
    const typo = () =>
      // @ts-expect-error an unknown code does not compile
      new WardenError('not_a_code', 'x');
    expect(typo).toBeTypeOf('function');
  });
});
