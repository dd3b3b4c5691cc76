import type { Config } from './config-schema.js';

/** Values a pattern is tried on: if it admits any, it admits a leading "-". */
const DASHED = ['-', '--'].flatMap((dashes) => ['', 'a', 'all', 'force', 'rf', 'x', 'A', 'ALL', '0', '1', '10', 'a-b', 'a.b', 'a:1', 'a_b', 'a1', 'aaaaaaaa'].map((rest) => `${dashes}${rest}`));
/** `{{ input }}` at the very start of an argv element. */
const LEADING_REFERENCE = /^\{\{\s*([^{}\s]+)\s*\}\}/;

/**
 * Problems that do not stop Warden but that an operator should fix, each naming its key and the
 * fix; `warden config check` and `warden serve` print them. Today: a `params` pattern of an `exec`
 * action that admits a value starting with "-" for an input that starts an argument, so an alert
 * label such as "--all" would reach the program as an option; and, with the web console on, a
 * trusted proxy range so wide that clients could sign themselves in with their own headers.
 */
export function listConfigWarnings(config: Config): string[] {
  const warnings: string[] = [];
  for (const [id, action] of Object.entries(config.actions)) {
    if (action.kind !== 'exec') continue;
    const warned = new Set<string>();
    for (const element of action.argv.slice(1)) {
      const input = LEADING_REFERENCE.exec(element)?.[1];
      const pattern = input === undefined ? undefined : action.params[input];
      if (input === undefined || pattern === undefined || warned.has(input) || !admitsLeadingDash(pattern)) continue;
      warned.add(input);
      warnings.push(
        `actions.${id}.params.${input}: the pattern ${pattern} admits a value starting with "-", and {{ ${input} }} starts an argument of ${action.argv[0]}, so a label such as "--all" would reach it as an option; make the pattern refuse a leading "-" (e.g. "^[a-z0-9][a-z0-9-]{0,63}$")`,
      );
    }
  }
  if (config.console.enabled) {
    for (const [i, entry] of config.server.trustedProxies.entries()) {
      const [address, bits] = entry.split('/');
      const wide = bits !== undefined && Number(bits) < (address!.includes(':') ? 48 : 16);
      if (!wide) continue;
      warnings.push(
        `server.trustedProxies[${i}]: ${entry} is trusted to name the web console's user (X-Forwarded-User / X-Forwarded-Email); any client in that range that reaches Warden directly can sign in as anyone: list only the authenticating proxy's addresses (e.g. "127.0.0.1")`,
      );
    }
  }
  return warnings;
}

function admitsLeadingDash(pattern: string): boolean {
  let expression: RegExp;
  try {
    expression = new RegExp(`^(?:${pattern})$`);
  } catch {
    return false;
  }
  return DASHED.some((value) => expression.test(value));
}
