import type { Config } from './config-schema.js';

/** Where `loadConfig` keeps the secrets it substituted from the environment, on the config itself. */
export const ENV_SECRETS: unique symbol = Symbol('warden.envSecrets');

/** A configuration as `loadConfig` returns it: the values plus the secrets that came from the environment. */
export type ConfigWithEnvSecrets = Config & { readonly [ENV_SECRETS]?: readonly string[] };

/**
 * The values `loadConfig` substituted from the environment that are secrets (see
 * `selectEnvSecrets`); none for a configuration built another way.
 */
export function listEnvSecrets(config: Config): readonly string[] {
  return (config as ConfigWithEnvSecrets)[ENV_SECRETS] ?? [];
}
