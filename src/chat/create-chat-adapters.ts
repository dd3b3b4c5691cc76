import type { Logger } from 'pino';
import type { Config } from '../config/config-schema.js';
import type { WardenMetrics } from '../observability/create-metrics.js';
import type { ChatAdapter, ChatAdapters } from '../ports/chat-adapter.js';
import { createConsoleAdapter, type ConsoleAdapterOptions } from './console/create-console-adapter.js';
import { instrumentChatAdapter } from './instrument-chat-adapter.js';

/** Options for {@link createChatAdapters}; tests pass their own adapters. */
export interface CreateChatAdaptersOptions {
  config: Pick<Config, 'slack' | 'lark'> & Partial<Pick<Config, 'locale'>>;
  metrics: WardenMetrics;
  logger: Logger;
  override?: Partial<Record<'slack' | 'lark' | 'console', ChatAdapter>>;
  /** What the console adapter shares with the process: its terminal, and the numbers of the buttons it prints. */
  console?: Pick<ConsoleAdapterOptions, 'terminal' | 'controls'>;
}

/**
 * Builds the chat adapters for the configured platforms, each counted in the metrics. A platform's
 * adapter, and with it its SDK, is loaded only when that platform is configured.
 */
export async function createChatAdapters(options: CreateChatAdaptersOptions): Promise<ChatAdapters> {
  const { config, metrics, logger, override = {} } = options;
  // Each SDK holds tens of MB once loaded: a process without that platform never imports it.
  const slack =
    override.slack ??
    (config.slack
      ? (await import('./slack/create-slack-adapter.js')).createSlackAdapter({ botToken: config.slack.botToken, apiUrl: config.slack.apiUrl, logger, locale: config.locale })
      : undefined);
  const lark =
    override.lark ??
    (config.lark
      ? (await import('./lark/create-lark-adapter.js')).createLarkAdapter({ appId: config.lark.appId, appSecret: config.lark.appSecret, domain: config.lark.domain, logger })
      : undefined);
  const consoleAdapter = instrumentChatAdapter(override.console ?? createConsoleAdapter({ locale: config.locale, ...options.console }), metrics);
  const adapters: ChatAdapters = {
    slack: slack && instrumentChatAdapter(slack, metrics),
    lark: lark && instrumentChatAdapter(lark, metrics),
    console: consoleAdapter,
    adapterFor(destination) {
      if (destination.startsWith('slack:') && adapters.slack) return adapters.slack;
      if (destination.startsWith('lark:') && adapters.lark) return adapters.lark;
      return adapters.console;
    },
  };
  return adapters;
}
