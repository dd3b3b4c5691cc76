import type { Card } from '../../../cards/card.js';
import { renderConsoleText } from '../../../cards/render-console-text.js';
import type { Destination } from '../../config/config-schema.js';
import type { ChatAdapter, HealthCheck } from '../../ports/chat-adapter.js';
import type { MessageRef } from '../../model/message-ref.js';
import type { Locale } from '../../shared/messages/locale.js';
import { translator } from '../../shared/messages/translator.js';
import type { Terminal } from '../../observability/create-terminal.js';
import type { ConsoleControls } from './create-console-controls.js';

/** Options for {@link createConsoleAdapter}. */
export interface ConsoleAdapterOptions {
  /** Where the text goes; default the terminal's `write`, else `process.stdout.write`. A card is always one write. */
  write?: (text: string) => void;
  /** The terminal of the process, which log lines share (see `createTerminal`). */
  terminal?: Terminal;
  /** Numbers the buttons, so that a person at the terminal can press them (see `startConsoleInput`). */
  controls?: ConsoleControls;
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
  const terminal = options.terminal;
  const write = options.write ?? (terminal ? (text: string) => terminal.write(text) : (text: string) => void process.stdout.write(text));
  const color = options.color ?? (terminal ? terminal.color : options.write === undefined && process.stdout.isTTY === true && process.env.NO_COLOR === undefined);
  const controls = options.controls;
  const t = translator(options.locale ?? 'en');
  let posted = 0;

  const print = (header: string, card: Card, message?: MessageRef) => {
    const numberControl = controls && message ? (actionId: string, value: string) => controls.number({ actionId, value, message }) : undefined;
    const body = renderConsoleText(card, { color, locale: options.locale, ...(numberControl ? { numberControl } : {}) });
    write(`${header}\n${body}${body.endsWith('\n') ? '' : '\n'}\n`);
  };

  return {
    platform: 'console',

    async postCard(destination: Destination, card: Card): Promise<MessageRef> {
      posted += 1;
      const id = `console-${posted}`;
      print(`── ${t('chat.console.newCard', { id, destination: printable(destination) })} ──`, card, { destination, id });
      return { destination, id };
    },

    async updateCard(ref: MessageRef, card: Card): Promise<void> {
      print(`── ${t('chat.console.updateCard', { id: printable(ref.id), destination: printable(ref.destination) })} ──`, card, ref);
    },

    async postPrivate(identity: string, destination: Destination | undefined, card: Card): Promise<void> {
      const header = destination ? t('chat.console.privateIn', { identity: printable(identity), destination: printable(destination) }) : t('chat.console.private', { identity: printable(identity) });
      print(`── ${header} ──`, card, destination ? { destination, id: `private-${posted}` } : undefined);
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
