import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { createWarden, type Role } from '../app/create-warden.js';
import { listSecrets } from '../config/list-secrets.js';
import { listConfigWarnings } from '../config/list-config-warnings.js';
import { createLogger } from '../observability/create-logger.js';
import { createTerminal } from '../observability/create-terminal.js';
import { guardProcess } from '../observability/guard-process.js';
import { ensureRedis } from '../redis/ensure-redis.js';
import { loadCommandConfig } from './load-command-config.js';
import type { CliIo } from './main.js';

const ROLES: readonly Role[] = ['all', 'web', 'worker'];

/** `warden serve [--role all|web|worker]`: runs until SIGTERM or SIGINT, then shuts down gracefully. */
export async function runServeCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { role: { type: 'string', default: 'all' } }, strict: true });
  const role = values.role as Role;
  if (!ROLES.includes(role)) {
    io.stderr(`warden serve: --role must be one of ${ROLES.join(', ')}\n`);
    return 2;
  }
  const loaded = loadCommandConfig(io, 'generate');
  const { config, webhookToken } = loaded;
  // On a terminal, log lines are readable and share one writer with the console's cards; elsewhere JSON lines, as before.
  const tty = io.tty ?? process.stdout.isTTY === true;
  // Typing at the cards needs a keyboard too: stdin a terminal as well.
  const keyboard = tty && process.stdin.isTTY === true;
  const terminal = createTerminal({ tty, env: io.env });
  const logger: Logger = createLogger({
    level: io.env.LOG_LEVEL ?? 'info',
    secrets: listSecrets(config),
    ...(tty ? { pretty: true, color: terminal.color, destination: { write: (line: string) => terminal.write(line) } } : {}),
  });
  if (webhookToken.kind === 'generated') {
    logger.info({ file: webhookToken.file, created: webhookToken.created }, 'WARDEN_WEBHOOK_TOKEN is not set: Alertmanager must send the token stored in this file');
  }
  for (const warning of listConfigWarnings(config)) logger.warn({ warning }, 'configuration warning (see warden config check)');
  if (!config.slack && !config.lark) logger.info('no Slack or Lark credentials: cards are printed to this terminal');

  const redis = await ensureRedis({ redis: config.redis, dataDir: loaded.dataDir, logger });
  const warden = await createWarden({ config, role, redis: redis.target, logger, terminal, ...(keyboard ? { consoleInput: {} } : {}) });
  const unguard = guardProcess({ logger, counter: warden.metrics.uncaughtErrors });
  const { url } = await warden.start();
  logger.info({ role, url, webhook: url ? `${url}/webhooks/alertmanager` : undefined }, 'Warden is running');

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, 'shutting down: no new requests, finishing active jobs');
      resolve();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await warden.stop();
  await redis.stop();
  unguard();
  logger.info('stopped');
  return 0;
}
