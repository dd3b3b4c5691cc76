import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Gauge, type Registry } from 'prom-client';

/** The quantiles `warden_event_loop_delay_seconds` reports; `1` is the longest delay seen. */
export const EVENT_LOOP_DELAY_QUANTILES = [0.5, 0.9, 0.99, 1] as const;

/** How often the event loop is sampled, in ms: short enough to see a stall of a few ms. */
const RESOLUTION_MS = 10;

/**
 * `warden_event_loop_delay_seconds{quantile}`: how late the event loop ran a timer (Node's
 * `monitorEventLoopDelay`, sampled every 10 ms), as the median, 90th and 99th percentile and the
 * maximum (`quantile="1"`) of the delays since the previous scrape; each scrape starts a new window,
 * so one Prometheus should scrape it. A window without a sample has no value. A busy loop holds
 * back every request and click the process answers: this is the figure to watch under load.
 */
export function createEventLoopDelayMetric(registers: Registry[]): Gauge<'quantile'> {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  return new Gauge({
    name: 'warden_event_loop_delay_seconds',
    help: 'Event loop delay since the previous scrape, by quantile (1 is the maximum), sampled every 10 ms.',
    labelNames: ['quantile'] as const,
    registers,
    collect() {
      this.reset();
      // Without a sample, percentile() reads 0 and min a huge number: neither is a delay.
      if (histogram.count > 0) {
        for (const quantile of EVENT_LOOP_DELAY_QUANTILES) {
          const nanoseconds = quantile === 1 ? histogram.max : histogram.percentile(quantile * 100);
          this.set({ quantile: String(quantile) }, nanoseconds / 1e9);
        }
      }
      histogram.reset();
    },
  });
}
