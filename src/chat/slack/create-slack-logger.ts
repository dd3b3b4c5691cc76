import { webApi } from '@slack/bolt';
import type { Logger } from 'pino';

/**
 * Adapts pino to the logger interface `@slack/web-api` expects. Only warnings and errors pass
 * (the client's debug lines dump request bodies); every line is reduced to text and has `secrets`
 * cut out. Without a pino logger the client stays silent instead of writing to the console.
 */
export function createSlackLogger(logger: Logger | undefined, secrets: readonly string[]): webApi.Logger {
  const child = logger?.child({ component: 'slack-web-api' });
  const toText = (parts: unknown[]) =>
    secrets.reduce((text, secret) => (secret.length > 0 ? text.split(secret).join('[redacted]') : text), parts.map(describe).join(' '));
  let level = webApi.LogLevel.WARN;
  return {
    debug: () => {},
    info: () => {},
    warn: (...parts: unknown[]) => child?.warn(toText(parts)),
    error: (...parts: unknown[]) => child?.error(toText(parts)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

function describe(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part instanceof Error) return part.message;
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return String(part);
  }
}
