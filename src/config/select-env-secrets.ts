import type { EnvSubstitution, InterpolationIssue } from './interpolate-env.js';
import { listUrlSecrets } from './list-url-secrets.js';
import { MIN_SECRET_LENGTH } from './min-secret-length.js';

/** A key pattern: each segment a key name, `*` (any key) or `#` (any list index); a trailing `**` matches the rest. */
type KeyPattern = readonly string[];

/**
 * Keys whose `${NAME}` values are not secrets: where Warden listens, names and ids that are shown
 * anyway (Slack and Lark app, team and tenant ids, Redis and BullMQ prefixes, queue names),
 * routing, people, schedules, limits, and an action's title, phase, kind, method and hosts.
 */
const NOT_SECRET: readonly KeyPattern[] = [
  ['server', '**'],
  ['redis', 'prefix'],
  ['redis', 'name'],
  ['slack', 'appId'],
  ['slack', 'teamId'],
  ['lark', 'appId'],
  ['lark', 'tenantKey'],
  ['lark', 'transport'],
  ['console', 'larkSignIn', 'appId'],
  ['console', 'larkSignIn', 'tenantKey'],
  ['audit', 'file'],
  ['alertmanager', 'silence', '**'],
  ['routes', '**'],
  ['access', '**'],
  ['checklists', '**'],
  ['cards', '**'],
  ['limits', '**'],
  ['retention', '**'],
  ['updates', '**'],
  ['locale'],
  ['actions', '*', 'title'],
  ['actions', '*', 'phase'],
  ['actions', '*', 'kind'],
  ['actions', '*', 'method'],
  ['actions', '*', 'request', 'method'],
  ['actions', '*', 'queue'],
  ['actions', '*', 'prefix'],
  ['actions', '*', 'allowHosts', '**'],
];

/** Keys that locate a service Warden connects to: only the credentials in their URL are secrets. */
const ADDRESS: readonly KeyPattern[] = [
  ['redis', 'url'],
  ['redis', 'sentinels', '**'],
  ['redis', 'cluster', '**'],
  ['slack', 'apiUrl'],
  ['lark', 'domain'],
  ['console', 'larkSignIn', 'apiUrl'],
  ['console', 'larkSignIn', 'authorizeUrl'],
  ['alertmanager', 'apiUrl'],
];

function matches(path: readonly (string | number)[], pattern: KeyPattern): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const segment = pattern[i]!;
    if (segment === '**') return true;
    const part = path[i];
    if (part === undefined) return false;
    if (segment === '#' ? typeof part !== 'number' : segment !== '*' && segment !== String(part)) return false;
  }
  return path.length === pattern.length;
}

/** What {@link selectEnvSecrets} found. */
export interface EnvSecrets {
  secrets: string[];
  /** `${NAME}` values in actions too short to be masked: the configuration is refused. */
  issues: InterpolationIssue[];
}

/**
 * Which values substituted from the environment are secrets: every one, wherever it is used
 * (headers, URL, body, argv, probe settings, any other key), except at keys that are not secret by
 * their nature ({@link NOT_SECRET}) and at service addresses ({@link ADDRESS}), where only the
 * URL's password and secret-named query parameters are. A secret value in an action shorter than
 * {@link MIN_SECRET_LENGTH} could not be masked safely in what the target answers: it is an issue.
 */
export function selectEnvSecrets(substitutions: readonly EnvSubstitution[]): EnvSecrets {
  const secrets = new Set<string>();
  const issues: InterpolationIssue[] = [];
  for (const { path, variable, value, text } of substitutions) {
    if (NOT_SECRET.some((pattern) => matches(path, pattern))) continue;
    if (ADDRESS.some((pattern) => matches(path, pattern))) {
      for (const secret of listUrlSecrets(text)) secrets.add(secret);
      continue;
    }
    secrets.add(value);
    if (path[0] === 'actions' && value.length < MIN_SECRET_LENGTH) {
      issues.push({
        path,
        message: `\${${variable}} is ${value.length} characters: every value from the environment used in an action is treated as a secret and masked in results, which needs at least ${MIN_SECRET_LENGTH} characters; use a longer value, or write this one in the file if it is not secret`,
      });
    }
  }
  return { secrets: [...secrets], issues };
}
