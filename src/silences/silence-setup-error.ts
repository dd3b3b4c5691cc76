import { WardenError } from '../errors/warden-error.js';
import type { ErrorCode } from '../errors/error-codes.js';
import { englishOf, type TextParam, type TextRef } from '../shared/messages/text-ref.js';

/**
 * A silence Warden cannot make because of how the incident or the configuration is (no labels to
 * match, no Alertmanager address): its message is the English of `reason`, which cards and replies
 * show in their language.
 */
export class SilenceSetupError extends WardenError {
  readonly reason: TextRef;
  constructor(code: ErrorCode, reason: TextRef) {
    super(code, englishOf(reason));
    this.reason = reason;
  }
}

/** Why a silence operation failed, as a card shows it: Warden's own reason as a message, Alertmanager's answer as it came. */
export function silenceErrorReason(error: Error): TextParam {
  return error instanceof SilenceSetupError ? error.reason : error.message;
}
