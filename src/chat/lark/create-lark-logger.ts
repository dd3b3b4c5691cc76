import type { Logger as LarkLogger } from '@larksuiteoapi/node-sdk';
import type { Logger } from 'pino';

/**
 * Adapts pino to the Lark SDK's logger. The SDK logs whole error objects (for axios errors that
 * includes the request body with `app_secret` and the `Authorization` header), so each argument is
 * reduced to text — error messages and strings only, objects dropped — and known secrets and
 * token-shaped strings are cut out. SDK errors go to `debug`: the adapter rethrows every failure as
 * a WardenError, and that is what gets reported. Without a pino logger the SDK stays silent.
 */
export function createLarkLogger(logger: Logger | undefined, secrets: readonly string[]): LarkLogger {
  const child = logger?.child({ component: 'lark-sdk' });
  const toText = (parts: unknown[]) => {
    const text = parts.flat(Infinity as 1).map(describe).join(' ');
    const withoutSecrets = secrets.reduce((out, secret) => (secret.length > 0 ? out.split(secret).join('[redacted]') : out), text);
    // The long connection's URL carries a short-lived ticket and access key in its query.
    return withoutSecrets.replace(/\b[tau]-[A-Za-z0-9_.-]{16,}/g, '[redacted]').replace(/\b(ticket|access_key)=[^&\s]+/g, '$1=[redacted]');
  };
  const toDebug = (...parts: unknown[]) => child?.debug(toText(parts));
  return { error: toDebug, warn: toDebug, info: () => {}, debug: () => {}, trace: () => {} };
}

function describe(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part instanceof Error) return `${part.name}: ${part.message}`;
  if (typeof part === 'number' || typeof part === 'boolean') return String(part);
  return '[object omitted]';
}
