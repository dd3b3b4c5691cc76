import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config/config-schema.js';
import { loadConfig } from '../config/load-config.js';
import { findRedis } from '../redis/find-redis.js';
import type { RedisTarget } from '../redis/redis-target.js';
import { ensureWebhookToken } from './ensure-webhook-token.js';
import type { CliIo } from './main.js';

/** Where the embedded defaults keep their files (the generated webhook token, a private Redis, the audit log), under the working directory. */
export const DATA_DIR = 'data';

/**
 * What a command does about the webhook token when `WARDEN_WEBHOOK_TOKEN` is unset and there is no
 * config file: `generate` (`warden serve`: read `data/webhook-token`, or create it), `read` (use the
 * file `warden serve` generated, if it is there; a command that does not need the token runs without
 * one all the same).
 */
export type WebhookTokenUse = 'generate' | 'read';

/** Where the webhook token of the loaded configuration came from. */
export type WebhookTokenSource =
  | { kind: 'environment-or-file' }
  | { kind: 'generated'; file: string; created: boolean }
  | { kind: 'not-generated-yet'; file: string };

/** The configuration every command works with, and where its embedded defaults came from. */
export interface CommandConfig {
  config: Config;
  /** Absolute path of `./data`. */
  dataDir: string;
  cwd: string;
  webhookToken: WebhookTokenSource;
}

/**
 * Loads the configuration the way every `warden` command does: `WARDEN_CONFIG` or
 * `./warden.config.yaml`, else the environment with the embedded defaults. Without a config file and
 * without `WARDEN_WEBHOOK_TOKEN`, the webhook token is the one `warden serve` generates into
 * `./data/webhook-token`; a command that only reads finds it there, and runs without it (on a
 * throwaway value that is never used nor shown) before the first `warden serve`.
 */
export function loadCommandConfig(io: CliIo, use: WebhookTokenUse): CommandConfig {
  const cwd = io.cwd ?? process.cwd();
  const dataDir = resolve(cwd, DATA_DIR);
  const file = join(dataDir, 'webhook-token');
  let webhookToken: WebhookTokenSource = { kind: 'environment-or-file' };
  const fallbackWebhookToken = () => {
    if (use === 'generate') {
      const generated = ensureWebhookToken(dataDir);
      webhookToken = { kind: 'generated', file: generated.file, created: generated.created };
      return generated.token;
    }
    const stored = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
    if (stored.length >= 32) {
      webhookToken = { kind: 'generated', file, created: false };
      return stored;
    }
    webhookToken = { kind: 'not-generated-yet', file };
    return randomBytes(32).toString('hex');
  };
  const config = loadConfig({ env: io.env, cwd, fallbackWebhookToken });
  return { config, dataDir, cwd, webhookToken };
}

/**
 * The Redis a command talks to, found as `warden serve` finds it (see `findRedis`): the configured
 * one, else 127.0.0.1:6379, else the private redis-server a running `warden serve` started under
 * `./data/redis`. Nothing is started: a Redis that is not found is given back as the default, for
 * the command to report as unreachable.
 */
export async function findCommandRedis(loaded: CommandConfig): Promise<RedisTarget> {
  return (await findRedis({ redis: loaded.config.redis, dataDir: loaded.dataDir })).target;
}
