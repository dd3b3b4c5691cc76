import type { z } from 'zod';

/** What the long connection needs of an app id: the SDK's `WSClient` refuses (silently) any other. */
const LONG_CONNECTION_APP_ID = /^cli_[0-9a-fA-F]{16}$/;

/**
 * The `lark` block's rules that depend on `transport`: over `http` the encrypt key and the
 * verification token are required (the route verifies and decrypts with them) and are reported as
 * missing exactly like any other required key; over `websocket` they are optional, and the app id
 * must be a real one (`cli_` and 16 hex digits). Runs even when other keys of the block are wrong,
 * so every problem is reported at once; `value` may therefore be partial.
 */
export function checkLarkTransport(value: unknown, ctx: z.core.$RefinementCtx): void {
  if (typeof value !== 'object' || value === null) return;
  const lark = value as Record<string, unknown>;
  const transport = lark.transport ?? 'http';
  if (transport === 'http') {
    for (const key of ['encryptKey', 'verificationToken']) {
      // The same issue a required key raises, so the loader names the variable to export.
      if (lark[key] === undefined) ctx.addIssue({ code: 'invalid_type', expected: 'string', input: undefined, path: [key] });
    }
    return;
  }
  if (transport === 'websocket' && typeof lark.appId === 'string' && lark.appId.length > 0 && !LONG_CONNECTION_APP_ID.test(lark.appId)) {
    ctx.addIssue({
      code: 'custom',
      path: ['appId'],
      message: 'must be the App ID from the Lark developer console (cli_ and 16 hex digits, e.g. cli_a1b2c3d4e5f60718) for transport: websocket; the long connection refuses any other',
    });
  }
}
