import { sanitizeText } from '../shared/sanitize-text.js';

/** The outcome of one remediation run (an action that changes something), for cards, the timeline and retries. */
export interface RemediationResult {
  actionId: string;
  /** The action's `title` from config: cards label results with it. */
  title: string;
  ok: boolean;
  /** One sanitized line without secrets: "HTTP 202 in 85 ms", "exited 0 in 1.2 s", "Paused queue tasks (12 waiting, 3 active)". */
  summary: string;
  /** Captured output or response body: scrubbed, truncated, control characters removed except newlines. Show it preformatted. */
  detail?: string;
  /** The HTTP status or the program's exit code, when there was one. */
  status?: number;
  durationMs: number;
  /** Epoch milliseconds when the run finished. */
  at: number;
  /**
   * Set on failures only. `true`: another attempt cannot help (a 4xx other than 408/425/429, an input
   * rejected by its pattern, a program that is missing or not executable, a non-retryable exit code).
   * `false`: a retry may succeed (network errors, 5xx, 408/425/429, timeouts, exit code 75 EX_TEMPFAIL).
   */
  permanent?: boolean;
}

/** What a runner reports; {@link startRemediationResult} adds the label, timing and clean-up. */
export interface RemediationVerdict {
  ok: boolean;
  summary: string;
  detail?: string;
  status?: number;
  permanent?: boolean;
}

/** Longest summary kept, in characters. */
export const MAX_SUMMARY_LENGTH = 300;

/** `detail` shows at most this many bytes of each output, then says how much more there was. */
export const MAX_DETAIL_BYTES = 4096;

// Like sanitizeText's list, but newlines stay so output keeps its lines.
const UNSAFE_IN_DETAIL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

/**
 * Starts timing one remediation run. The returned function turns a verdict into a
 * {@link RemediationResult}: `scrub` runs over summary and detail (so a secret never leaves),
 * the summary is cut to one line, and `permanent` is kept for failures only (default `true`).
 */
export function startRemediationResult(
  label: { actionId: string; title: string },
  options: { now?: () => number; scrub?: (text: string) => string } = {},
): (verdict: RemediationVerdict) => RemediationResult {
  const now = options.now ?? Date.now;
  const scrub = options.scrub ?? ((text: string) => text);
  const startedAt = now();
  return (verdict) => {
    const at = now();
    const detail = verdict.detail === undefined ? undefined : scrub(verdict.detail);
    return {
      actionId: label.actionId,
      title: label.title,
      ok: verdict.ok,
      summary: sanitizeText(scrub(verdict.summary), MAX_SUMMARY_LENGTH),
      ...(detail === undefined || detail === '' ? {} : { detail }),
      ...(verdict.status === undefined ? {} : { status: verdict.status }),
      durationMs: Math.max(0, at - startedAt),
      at,
      ...(verdict.ok ? {} : { permanent: verdict.permanent ?? true }),
    };
  };
}

/**
 * Makes program output or a response body fit for `detail`: secrets scrubbed first (so a cut can
 * never leave half a secret), then at most `maxBytes` bytes of UTF-8 with unsafe characters
 * replaced (newlines kept), then "… (N bytes more)". `droppedBytes` counts output that was
 * received but not kept; `notAllRead` says the rest was never read ("N+ bytes more, not read").
 * Returns `''` for empty output.
 */
export function formatDetail(
  raw: string | Buffer,
  scrub: (text: string) => string,
  options: { maxBytes?: number; droppedBytes?: number; notAllRead?: boolean } = {},
): string {
  const maxBytes = options.maxBytes ?? MAX_DETAIL_BYTES;
  const text = scrub(typeof raw === 'string' ? raw : raw.toString('utf8'));
  const bytes = Buffer.from(text, 'utf8');
  // Cutting inside a UTF-8 sequence leaves U+FFFD at the end: drop it.
  const shown = bytes.byteLength <= maxBytes ? text : bytes.subarray(0, maxBytes).toString('utf8').replace(/\ufffd+$/, '');
  const more = bytes.byteLength - Buffer.byteLength(shown, 'utf8') + (options.droppedBytes ?? 0);
  const clean = shown.replace(/\r\n?/g, '\n').replace(UNSAFE_IN_DETAIL, ' ').replace(/\s+$/, '');
  if (more === 0 && !options.notAllRead) return clean;
  const suffix = options.notAllRead ? `(${more}+ bytes more, not read)` : `(${more} bytes more)`;
  return clean === '' ? suffix : `${clean}… ${suffix}`;
}
