import { formatConfigPath } from './format-config-path.js';
import { SECRET_HEADER } from './secret-header.js';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const WHOLE_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** Keys whose values are secrets: in a config file they may only be `${NAME}` references. */
const SECRET_PATHS: Record<string, string> = {
  'alertmanager.token': 'WARDEN_WEBHOOK_TOKEN',
  'api.readToken': 'WARDEN_API_READ_TOKEN',
  'slack.signingSecret': 'SLACK_SIGNING_SECRET',
  'slack.botToken': 'SLACK_BOT_TOKEN',
  'slack.appToken': 'SLACK_APP_TOKEN',
  'lark.appSecret': 'LARK_APP_SECRET',
  'lark.encryptKey': 'LARK_ENCRYPT_KEY',
  'lark.verificationToken': 'LARK_VERIFICATION_TOKEN',
  'audit.hmacKey': 'WARDEN_AUDIT_KEY',
  'console.slackSignIn.clientSecret': 'SLACK_CLIENT_SECRET',
  'console.slackSignIn.sessionKey': 'WARDEN_CONSOLE_SESSION_KEY',
  'console.larkSignIn.appSecret': 'LARK_APP_SECRET',
  'console.larkSignIn.sessionKey': 'WARDEN_CONSOLE_SESSION_KEY',
  'redis.password': 'REDIS_PASSWORD',
  'redis.sentinelPassword': 'REDIS_SENTINEL_PASSWORD',
};

/** A problem found while substituting `${NAME}` references, reported like a schema issue. */
export interface InterpolationIssue {
  path: (string | number)[];
  message: string;
}

/** One value put into the config from the environment. */
export interface EnvSubstitution {
  path: (string | number)[];
  variable: string;
  /** The variable's value. */
  value: string;
  /** The whole string at `path` after substitution (the value itself for a whole reference). */
  text: string;
}

/** What `interpolateEnv` returns: the substituted tree and which variable each key came from. */
export interface Interpolated {
  value: unknown;
  /** Dotted key → the variable it referenced, to name it when a required key ends up missing. */
  references: Map<string, string>;
  /** Every value substituted from the environment, where it went (see `selectEnvSecrets`). */
  substitutions: EnvSubstitution[];
  issues: InterpolationIssue[];
}

function isSecretPath(path: (string | number)[]): boolean {
  const dotted = formatConfigPath(path);
  if (dotted in SECRET_PATHS) return true;
  if (path.length === 4 && dotted.startsWith('audit.checkpoint.headers.')) return SECRET_HEADER.test(String(path[3]));
  // actions.<id>.request.headers.<name>
  return path.length === 5 && path[0] === 'actions' && path[2] === 'request' && path[3] === 'headers' && SECRET_HEADER.test(String(path[4]));
}

/**
 * Replaces `${NAME}` references in every string of a parsed config tree. A value that is exactly one
 * reference to an unset variable becomes absent (so an optional key disappears and a required key is
 * reported with the variable's name); a reference inside a longer string must be set. Secret keys must
 * be references, so secrets never live in the file itself.
 */
export function interpolateEnv(tree: unknown, env: Record<string, string | undefined>): Interpolated {
  const references = new Map<string, string>();
  const substitutions: EnvSubstitution[] = [];
  const issues: InterpolationIssue[] = [];

  const visit = (node: unknown, path: (string | number)[]): unknown => {
    if (typeof node === 'string') {
      const whole = WHOLE_REFERENCE.exec(node);
      const isHeader = path[0] === 'actions' || (path[0] === 'audit' && path[2] === 'headers');
      if (isSecretPath(path) && !whole && !(isHeader && node.search(REFERENCE) >= 0)) {
        // A header has no standard variable: suggest one named after the action (or the checkpoint) and header.
        const named = path[0] === 'audit' ? `WARDEN_CHECKPOINT_${String(path[3])}` : `${String(path[1])}_${String(path[4])}`;
        const name = SECRET_PATHS[formatConfigPath(path)] ?? named.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
        issues.push({
          path,
          message: `secrets must come from the environment, not the file: write \${${name}} here and export ${name}`,
        });
        return undefined;
      }
      if (whole) {
        references.set(formatConfigPath(path), whole[1]!);
        const value = env[whole[1]!];
        if (value === undefined || value === '') return undefined;
        substitutions.push({ path, variable: whole[1]!, value, text: value });
        return value;
      }
      const used: { variable: string; value: string }[] = [];
      const text = node.replace(REFERENCE, (_match, name: string) => {
        const value = env[name];
        if (value === undefined || value === '') {
          issues.push({ path, message: `uses \${${name}}, which is not set; export ${name} or remove the key` });
          return '';
        }
        used.push({ variable: name, value });
        return value;
      });
      for (const { variable, value } of used) substitutions.push({ path, variable, value, text });
      return text;
    }
    if (Array.isArray(node)) return node.map((item, i) => visit(item, [...path, i]));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) {
        const next = visit(value, [...path, key]);
        if (next !== undefined) out[key] = next;
      }
      return out;
    }
    return node;
  };

  const value = visit(tree, []);
  return { value, references, substitutions, issues };
}
