/** The outcome of one probe run (a read-only action), as shown on cards and the timeline. */
export interface ProbeResult {
  actionId: string;
  /** The action's `title` from config: cards label results with it. */
  title: string;
  /** What was probed, e.g. `instance=web-1:9100`; absent when the probe has no per-alert target. */
  target?: string;
  ok: boolean;
  /** One line a responder can read at 3 a.m.: "HTTP 503 in 120 ms", "0.42 req/s (threshold 0.1)". */
  summary: string;
  /** Epoch milliseconds when the probe finished. */
  at: number;
  durationMs: number;
}
