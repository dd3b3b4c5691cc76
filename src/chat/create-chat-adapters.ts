import type { Logger } from 'pino';
import type { Config } from '../config/config-schema.js';
import type { WardenMetrics } from '../observability/create-metrics.js';
import type { ChatAdapter, ChatAdapters } from '../ports/chat-adapter.js';
import { createConsoleAdapter } from './console/create-console-adapter.js';
import { instrumentChatAdapter } from './instrument-chat-adapter.js';
import { createLarkAdapter } from './lark/create-lark-adapter.js';
import { createSlackAdapter } from './slack/create-slack-adapter.js';

/** Options for {@link createChatAdapters}; tests pass their own adapters. */
export interface CreateChatAdaptersOptions {
  config: Pick<Config, 'slack' | 'lark'> & Partial<Pick<Config, 'locale'>>;
  metrics: WardenMetrics;
  logger: Logger;
  override?: Partial<Record<'slack' | 'lark' | 'console', ChatAdapter>>;
}

/** Builds the chat adapters for the configured platforms, each counted in the metrics. */
export function createChatAdapters(options: CreateChatAdaptersOptions): ChatAdapters {
  const { config, metrics, logger, override = {} } = options;
  const slack = override.slack ?? (config.slack ? createSlackAdapter({ botToken: config.slack.botToken, apiUrl: config.slack.apiUrl, logger, locale: config.locale }) : undefined);
  const lark =
    override.lark ??
    (config.lark ? createLarkAdapter({ appId: config.lark.appId, appSecret: config.lark.appSecret, domain: config.lark.domain, logger }) : undefined);
  const consoleAdapter = instrumentChatAdapter(override.console ?? createConsoleAdapter({ locale: config.locale }), metrics);
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
