import type { MessageRef } from '../../model/message-ref.js';

/** A button (or menu option) printed in the terminal, pressed by typing its number. */
export interface ConsoleControl {
  actionId: string;
  value: string;
  message: MessageRef;
}

/** The numbers of the buttons printed in the terminal, counted per process. */
export interface ConsoleControls {
  /** Gives the control a new number (cards are printed anew on every update). */
  number(control: ConsoleControl): number;
  /** The control printed with `n`, if it is among the last ones printed. */
  find(n: number): ConsoleControl | undefined;
}

/** Creates {@link ConsoleControls}, remembering the last `keep` numbers (default 2000). */
export function createConsoleControls(keep = 2000): ConsoleControls {
  const controls = new Map<number, ConsoleControl>();
  let last = 0;
  return {
    number(control) {
      last += 1;
      controls.set(last, control);
      controls.delete(last - keep);
      return last;
    },
    find(n) {
      return controls.get(n);
    },
  };
}
