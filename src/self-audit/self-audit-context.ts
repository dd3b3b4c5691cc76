import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RedisClient } from '../redis/redis-client.js';
import type { Config } from '../config/config-schema.js';
import type { SelfAuditInput } from './self-audit-finding.js';

/** {@link SelfAuditInput} with every default applied: what each group of checks reads. */
export interface SelfAuditContext {
  config: Config;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Absolute path of the config file, or null when the configuration comes from the environment. */
  configPath: string | null;
  /** The config file's text, or why it could not be read. */
  configText: { text: string } | { error: string } | undefined;
  redis: RedisClient | undefined;
  redisError: string | undefined;
  /** undefined where the platform has no uids. */
  uid: number | undefined;
  /** See {@link SelfAuditInput.webhookTokenPending}. */
  webhookTokenPending: boolean;
}

/** The config file `loadConfig` reads for `input`: the given path, `WARDEN_CONFIG`, or `./warden.config.yaml` if present. */
export function resolveConfigPath(input: Pick<SelfAuditInput, 'configPath' | 'env' | 'cwd'>): string | null {
  const cwd = input.cwd ?? process.cwd();
  const file = input.configPath === undefined ? input.env.WARDEN_CONFIG || null : input.configPath;
  if (file) return resolve(cwd, file);
  const fallback = resolve(cwd, 'warden.config.yaml');
  return input.configPath === undefined && existsSync(fallback) ? fallback : null;
}

function readConfigText(input: SelfAuditInput, configPath: string | null): SelfAuditContext['configText'] {
  if (input.configText !== undefined) return { text: input.configText };
  if (configPath === null) return undefined;
  try {
    return { text: readFileSync(configPath, 'utf8') };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Applies the defaults of {@link SelfAuditInput} and reads the config file's text once. */
export function resolveSelfAuditContext(input: SelfAuditInput): SelfAuditContext {
  const cwd = input.cwd ?? process.cwd();
  const configPath = resolveConfigPath(input);
  const getuid = input.getuid ?? process.getuid?.bind(process);
  return {
    config: input.config,
    env: input.env,
    cwd,
    configPath,
    configText: readConfigText(input, configPath),
    redis: input.redis,
    redisError: input.redisError,
    uid: getuid?.(),
    webhookTokenPending: input.webhookTokenPending === true,
  };
}
