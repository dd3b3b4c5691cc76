import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseLocatedYaml } from './parse-located-yaml.js';
import type { z } from 'zod';
import { WardenError } from '../errors/warden-error.js';
import { configSchema, type Config } from './config-schema.js';
import { deepFreeze } from './deep-freeze.js';
import { buildEmbeddedAccess, buildEmbeddedActions } from './embedded-defaults.js';
import { formatConfigPath } from './format-config-path.js';
import { interpolateEnv } from './interpolate-env.js';
import { ENV_SECRETS } from './list-env-secrets.js';
import { selectEnvSecrets } from './select-env-secrets.js';

/** Options for {@link loadConfig}; everything is injectable so tests never touch the real process. */
export interface LoadConfigOptions {
  /** Defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Path of the YAML file; defaults to `WARDEN_CONFIG`, then `./warden.config.yaml` if present, else none. */
  file?: string | null;
  /** Directory relative paths are resolved against. Defaults to `process.cwd()`. */
  cwd?: string;
  /**
   * Only without a config file: supplies a webhook token when `WARDEN_WEBHOOK_TOKEN` is unset, so
   * `npm start` works out of the box (see `src/cli/ensure-webhook-token.ts`).
   */
  fallbackWebhookToken?: () => string;
}

/** A configuration that cannot be used; `problems` lists one line per key, each saying how to fix it. */
export class ConfigError extends WardenError {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super('config_invalid', `Invalid configuration (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

interface Located {
  source: string;
  tree: unknown;
  lineOf: (path: readonly PropertyKey[]) => number | undefined;
}

function readConfigFile(path: string): Located {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ConfigError(path, [`cannot read ${path}: ${reason}; set WARDEN_CONFIG to the config file's path`]);
  }
  const parsed = parseLocatedYaml(text);
  if (!parsed.ok) throw new ConfigError(path, [`YAML syntax at line ${parsed.line ?? '?'}: ${parsed.message}`]);
  return { source: path, tree: parsed.tree ?? {}, lineOf: parsed.lineOf };
}

/**
 * The configuration used when there is no file: everything from the environment and the embedded
 * defaults, among them the console's two people with every permission and one demonstration
 * remediation (see `embedded-defaults.ts`), so that the whole flow can be tried in the terminal.
 */
function buildEnvConfig(env: Record<string, string | undefined>): unknown {
  const tree: Record<string, unknown> = {
    alertmanager: { token: '${WARDEN_WEBHOOK_TOKEN}' },
    api: { readToken: '${WARDEN_API_READ_TOKEN}' },
    access: buildEmbeddedAccess(),
    actions: buildEmbeddedActions(),
  };
  if (env.SLACK_SIGNING_SECRET || env.SLACK_BOT_TOKEN) {
    tree.slack = { signingSecret: '${SLACK_SIGNING_SECRET}', botToken: '${SLACK_BOT_TOKEN}', appToken: '${SLACK_APP_TOKEN}', apiUrl: '${SLACK_API_URL}' };
  }
  if (env.LARK_APP_ID || env.LARK_APP_SECRET) {
    tree.lark = {
      appId: '${LARK_APP_ID}',
      appSecret: '${LARK_APP_SECRET}',
      encryptKey: '${LARK_ENCRYPT_KEY}',
      verificationToken: '${LARK_VERIFICATION_TOKEN}',
      domain: '${LARK_DOMAIN}',
      // Unset: the schema's default, http.
      transport: '${LARK_TRANSPORT}',
    };
  }
  return tree;
}

interface Problem {
  path: PropertyKey[];
  message: string;
}

function describeIssue(issue: z.core.$ZodIssue, references: Map<string, string>): Problem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => ({ path: [...issue.path, k], message: 'unknown key; remove it or check its spelling' }));
  }
  if (issue.code === 'invalid_key') {
    // "Invalid key in record" says nothing; the key's own schema says what a key must look like.
    return [{ path: issue.path, message: `bad key: ${issue.issues[0]?.message ?? issue.message}` }];
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    const variable = references.get(formatConfigPath(issue.path));
    const message = variable
      ? `required, but \${${variable}} is not set; export ${variable}=… (or remove the enclosing block to disable it)`
      : 'required; add it';
    return [{ path: issue.path, message }];
  }
  return [{ path: issue.path, message: issue.message }];
}

/**
 * Loads the configuration once: reads the YAML file (or builds one from the environment), substitutes
 * `${NAME}` references, validates it, applies `HOST` / `PORT` / `REDIS_URL`, and freezes the result.
 * The values that came from the environment and are secrets (see `selectEnvSecrets`) travel with
 * it for `listSecrets`; one in an action too short to be masked is refused.
 * Throws {@link ConfigError} listing every problem, each with its key, line and how to fix it.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  let env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  let file = options.file === undefined ? env.WARDEN_CONFIG || null : options.file;
  if (file === null && existsSync(resolve(cwd, 'warden.config.yaml'))) file = 'warden.config.yaml';

  const located: Located = file
    ? readConfigFile(resolve(cwd, file))
    : { source: 'environment (no config file)', tree: buildEnvConfig(env), lineOf: () => undefined };
  if (!file && !env.WARDEN_WEBHOOK_TOKEN && options.fallbackWebhookToken) {
    env = { ...env, WARDEN_WEBHOOK_TOKEN: options.fallbackWebhookToken() };
  }

  const { value, references, substitutions, issues: substitutionIssues } = interpolateEnv(located.tree, env);
  const envSecrets = selectEnvSecrets(substitutions);
  const issues = [...substitutionIssues, ...envSecrets.issues];
  const tree = (value ?? {}) as Record<string, unknown>;
  // Dotted key → the variable that set it, so a bad value names the variable, not a line of the file.
  const fromEnv = new Map<string, string>();
  if (typeof tree === 'object' && !Array.isArray(tree)) {
    // Only into sections that are maps: any other value is the schema's to report, not a crash here.
    const section = (name: string) => {
      const node = (tree[name] ??= {});
      return typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>) : {};
    };
    const server = section('server');
    const redis = section('redis');
    if (env.HOST) {
      server.host = env.HOST;
      fromEnv.set('server.host', 'HOST');
    }
    if (env.PORT) {
      server.port = env.PORT;
      fromEnv.set('server.port', 'PORT');
    }
    if (redis.url === undefined && env.REDIS_URL) {
      redis.url = env.REDIS_URL;
      fromEnv.set('redis.url', 'REDIS_URL');
    }
    if (!file && env.LARK_TRANSPORT && tree.lark !== undefined) fromEnv.set('lark.transport', 'LARK_TRANSPORT');
  }

  const problems: Problem[] = [...issues];
  // reportInput: a missing key (input undefined) must not look like a value of the wrong type.
  const parsed = configSchema.safeParse(tree, { reportInput: true });
  if (!parsed.success) {
    const seen = new Set(issues.map((i) => formatConfigPath(i.path)));
    for (const issue of parsed.error.issues) {
      // A secret already reported as literal would otherwise be reported again as "required".
      if (!seen.has(formatConfigPath(issue.path))) problems.push(...describeIssue(issue, references));
    }
  }
  if (problems.length > 0 || !parsed.success) {
    throw new ConfigError(
      located.source,
      problems.map(({ path, message }) => {
        const variable = fromEnv.get(formatConfigPath(path));
        const line = variable ? undefined : located.lineOf(path);
        const where = variable ? ` (from ${variable})` : line === undefined ? '' : ` (line ${line})`;
        return `${formatConfigPath(path)}${where}: ${message}`;
      }),
    );
  }
  // Not enumerable: the secrets stay out of anything that walks or prints the configuration.
  Object.defineProperty(parsed.data, ENV_SECRETS, { value: Object.freeze(envSecrets.secrets), enumerable: false });
  return deepFreeze(parsed.data);
}
