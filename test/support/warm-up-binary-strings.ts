import fc from 'fast-check';

/** A bound for {@link warmUpBinaryStrings} as a `beforeAll` hook, generous for a busy machine. */
export const WARM_UP_TIMEOUT_MS = 60_000;

/**
 * fast-check builds its table of every code point (over a million entries) the first time a process
 * asks for strings of `unit: 'binary'`; later arbitraries, whatever their lengths, reuse it. That
 * takes seconds, several times more on a busy machine. Run as a `beforeAll` hook, so the one-time
 * cost is not charged to whichever test happens to ask first.
 */
export function warmUpBinaryStrings(): void {
  fc.string({ unit: 'binary' });
}
