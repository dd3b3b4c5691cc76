import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/observability/create-metrics.js';

/** `warden_event_loop_delay_seconds` samples of one scrape, by quantile. */
function delays(text: string): Record<string, number> {
  return Object.fromEntries([...text.matchAll(/^warden_event_loop_delay_seconds\{quantile="([^"]+)"\} (\S+)$/gm)].map((m) => [m[1]!, Number(m[2])]));
}

function blockEventLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // a stall, as a long synchronous job would cause
  }
}

describe('warden_event_loop_delay_seconds', () => {
  it('reports the delays since the previous scrape: a stall shows in its maximum, and the next window starts afresh', async () => {
    const metrics = createMetrics();
    const text = await metrics.registry.metrics();
    expect(text).toContain('# TYPE warden_event_loop_delay_seconds gauge');

    // Lets the sampler run, then stalls the loop: the timer due during the stall fires at least 450 ms late.
    await new Promise((resolve) => setTimeout(resolve, 50));
    blockEventLoop(500);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stalled = delays(await metrics.registry.metrics());
    expect(Object.keys(stalled).sort()).toEqual(['0.5', '0.9', '0.99', '1']);
    expect(stalled['1']).toBeGreaterThanOrEqual(0.45);
    expect(stalled['0.5']).toBeLessThanOrEqual(stalled['0.99']!);
    expect(stalled['0.99']).toBeLessThanOrEqual(stalled['1']!);

    // A new window: the stall is not reported again.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = delays(await metrics.registry.metrics());
    expect(next['1'] ?? 0).toBeLessThan(stalled['1']!);
  });
});
