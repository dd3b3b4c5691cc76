/** A prompt that lines are written above: hidden before a write and shown again after it. */
export interface TerminalPrompt {
  hide(): void;
  show(): void;
}

/**
 * The one way text reaches the terminal Warden runs in: log lines and cards alike go through
 * {@link Terminal.write}, one call per log line or card, so neither can land inside the other, and a
 * prompt the person types at is redrawn below them.
 */
export interface Terminal {
  /** Whether output goes to a terminal a person reads (readable logs, numbered buttons, a prompt). */
  readonly tty: boolean;
  /** Whether ANSI colours may be used (a terminal, and `NO_COLOR` unset). */
  readonly color: boolean;
  /** Writes whole lines in one write, above the prompt when one is shown. */
  write(text: string): void;
  /** Where a prompt is drawn; undefined removes it. */
  attachPrompt(prompt: TerminalPrompt | undefined): void;
}

/** Options of {@link createTerminal}. */
export interface CreateTerminalOptions {
  /** Whether the output is a terminal; default `process.stdout.isTTY`. Tests inject it. */
  tty?: boolean;
  /** Where the text goes; default `process.stdout.write`. */
  write?: (text: string) => void;
  /** The environment, for `NO_COLOR`; default `process.env`. */
  env?: Record<string, string | undefined>;
}

/** Creates the {@link Terminal} of this process. */
export function createTerminal(options: CreateTerminalOptions = {}): Terminal {
  const tty = options.tty ?? process.stdout.isTTY === true;
  const out = options.write ?? ((text: string) => void process.stdout.write(text));
  const env = options.env ?? process.env;
  let prompt: TerminalPrompt | undefined;
  return {
    tty,
    color: tty && env.NO_COLOR === undefined,
    write(text) {
      if (text === '') return;
      prompt?.hide();
      out(text);
      prompt?.show();
    },
    attachPrompt(next) {
      prompt = next;
    },
  };
}
