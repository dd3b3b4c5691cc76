import { randomUUID } from 'node:crypto';
import { createInterface, type Interface } from 'node:readline';
import type { Logger } from 'pino';
import type { Destination } from '../../config/config-schema.js';
import type { AcceptInboundEvent } from '../../inbound/acceptance.js';
import type { InboundEvent, InboundInput } from '../../model/inbound-event.js';
import type { Terminal } from '../../observability/create-terminal.js';
import type { Locale } from '../../shared/messages/locale.js';
import { translator } from '../../shared/messages/translator.js';
import type { ConsoleControls } from './create-console-controls.js';

/** Options of {@link startConsoleInput}. */
export interface ConsoleInputOptions {
  /** What the person types; default `process.stdin`. */
  input?: NodeJS.ReadableStream;
  /** Where the prompt and echo go when the input is a terminal; default `process.stdout`. */
  output?: NodeJS.WritableStream;
  terminal: Terminal;
  controls: ConsoleControls;
  /** The edge's acceptance: dedupe, authorize, rate-limit, audit, queue — as for Slack and Lark. */
  accept: AcceptInboundEvent;
  /** The people at the terminal, by name, with their `console:` identity; the first one starts. */
  people: ReadonlyArray<readonly [name: string, identity: string]>;
  /** Where typed commands are answered. Default `console:terminal`. */
  destination?: Destination;
  locale?: Locale;
  logger: Logger;
  now: () => number;
}

/**
 * Lets the person at the terminal act on what the console adapter prints, through the same inbound
 * path as Slack and Lark: a button's number presses it, `/incident …` and the other chat commands
 * run, and `as <person>` switches between the console's people (a responder, and a lead who
 * approves what the responder asks to run). Each line becomes one neutral `InboundEvent` of the
 * platform `console` for `accept`; refusals are printed. Returns a function that stops reading.
 */
export function startConsoleInput(options: ConsoleInputOptions): () => void {
  const t = translator(options.locale ?? 'en');
  const { terminal, controls, people } = options;
  const destination = options.destination ?? 'console:terminal';
  const names = people.map(([name]) => name).join(', ');
  let current = people[0];
  if (current === undefined) return () => {};
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const rl: Interface = createInterface({ input, output, terminal: terminal.tty, prompt: `${current[0]}> ` });

  const say = (text: string) => terminal.write(`${text}\n`);
  if (terminal.tty) {
    terminal.attachPrompt({
      hide: () => {
        output.write('\r\u001b[2K');
      },
      show: () => rl.prompt(true),
    });
  }

  const other = () => people.find(([name]) => name !== current![0])?.[0] ?? current![0];
  const send = async (input: InboundInput, where: Destination) => {
    const event: InboundEvent = {
      id: `console:${randomUUID()}`,
      platform: 'console',
      identity: current![1],
      tenant: 'console',
      appId: 'console',
      destination: where,
      receivedAt: options.now(),
      input,
    };
    try {
      const acceptance = await options.accept(event);
      if (acceptance.outcome === 'refused') say(t('chat.console.notAccepted', { reason: acceptance.message }));
    } catch (error) {
      options.logger.warn({ err: error, event: event.id }, 'a line typed at the terminal could not be accepted');
      say(t('chat.console.notAccepted', { reason: (error as Error).message }));
    }
  };

  const handle = async (line: string) => {
    const text = line.trim();
    if (text === '') return;
    if (text === 'help' || text === '?') return say(t('chat.console.help', { people: names }));
    if (text === 'who') return say(t('chat.console.actingAs', { person: current![0], identity: current![1] }));
    const as = /^as\s+@?(\S+)$/i.exec(text);
    if (as) {
      const next = people.find(([name]) => name === as[1]!.toLowerCase());
      if (!next) return say(t('chat.console.unknownPerson', { person: as[1]!, people: names }));
      current = next;
      rl.setPrompt(`${current[0]}> `);
      return say(t('chat.console.actingAs', { person: current[0], identity: current[1] }));
    }
    if (/^\d{1,9}$/.test(text)) {
      const control = controls.find(Number(text));
      if (!control) return say(t('chat.console.unknownButton', { number: text }));
      return send({ type: 'action', actionId: control.actionId, value: control.value, message: control.message }, control.message.destination);
    }
    const command = /^\/([A-Za-z][\w-]{0,31})(?:\s+([\s\S]*))?$/.exec(text);
    if (command) return send({ type: 'command', name: command[1]!.toLowerCase(), text: (command[2] ?? '').trim() }, destination);
    return say(t('chat.console.notUnderstood'));
  };

  // One line at a time, in order: a press and the switch that follows it keep their order.
  let queue = Promise.resolve();
  rl.on('line', (line) => {
    queue = queue.then(() => handle(line)).then(() => {
      if (terminal.tty) rl.prompt(true);
    });
  });
  // In a terminal, readline takes Ctrl-C for itself: it stops Warden, as it does without the prompt.
  rl.on('SIGINT', () => process.kill(process.pid, 'SIGINT'));
  // After the start's own log lines ("Warden is running"), so that the invitation is the last thing shown.
  const greeting = setImmediate(() => {
    say(t('chat.console.ready', { person: current![0], identity: current![1], other: other() }));
    if (terminal.tty) rl.prompt();
  });

  return () => {
    clearImmediate(greeting);
    terminal.attachPrompt(undefined);
    if (terminal.tty) output.write('\r\u001b[2K');
    rl.close();
  };
}
