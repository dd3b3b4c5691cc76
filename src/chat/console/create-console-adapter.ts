import type { Card } from '../../../cards/card.js';
import { renderConsoleText } from '../../../cards/render-console-text.js';
import type { Destination } from '../../config/config-schema.js';
import type { ChatAdapter, HealthCheck } from '../../ports/chat-adapter.js';
import type { MessageRef } from '../../model/message-ref.js';
import type { Locale } from '../../shared/messages/locale.js';
import { translator } from '../../shared/messages/translator.js';

/** Options for {@link createConsoleAdapter}. */
export interface ConsoleAdapterOptions {
  /** Where the text goes; default `process.stdout.write`. */
  write?: (text: string) => void;
  /** ANSI colours for the title; default: only when writing to a terminal and `NO_COLOR` is unset. */
  color?: boolean;
  /** The language cards and the header lines are shown in (the configured `locale`); default English. */
  locale?: Locale;
}

/**
 * The adapter Warden uses when no chat credentials are configured: cards are rendered as text to
 * the terminal, so a new user sees the whole flow locally. It accepts any destination (routes may
 * name Slack channels before Slack is set up) and never fails. Ids are `console-<n>`, counted per
 * process; an update names the card it replaces, even one posted before a restart.
 */
export function createConsoleAdapter(options: ConsoleAdapterOptions = {}): ChatAdapter {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const color = options.color ?? (options.write === undefined && process.stdout.isTTY === true && process.env.NO_COLOR === undefined);
  const t = translator(options.locale ?? 'en');
  let posted = 0;

  const print = (header: string, card: Card) => {
    const body = renderConsoleText(card, { color, locale: options.locale });
    write(`${header}\n${body}${body.endsWith('\n') ? '' : '\n'}\n`);
  };

  return {
    platform: 'console',

    async postCard(destination: Destination, card: Card): Promise<MessageRef> {
      posted += 1;
      const id = `console-${posted}`;
      print(`── ${t('chat.console.newCard', { id, destination: printable(destination) })} ──`, card);
      return { destination, id };
    },

    async updateCard(ref: MessageRef, card: Card): Promise<void> {
      print(`── ${t('chat.console.updateCard', { id: printable(ref.id), destination: printable(ref.destination) })} ──`, card);
    },

    async postPrivate(identity: string, destination: Destination | undefined, card: Card): Promise<void> {
      const header = destination ? t('chat.console.privateIn', { identity: printable(identity), destination: printable(destination) }) : t('chat.console.private', { identity: printable(identity) });
      print(`── ${header} ──`, card);
    },

    async checkHealth(): Promise<HealthCheck> {
      return { ok: true, detail: 'console output' };
    },
  };
}

/** Ids and destinations come from the store: keep terminal control sequences out of the header. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, 120);
}
