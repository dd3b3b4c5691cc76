import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createClickFactory } from './click-factory.js';

/** How {@link sendClicksEvenly} paces its clicks. */
export interface EvenClickOptions {
  /** Clicks per second, spaced evenly (a click every 1000 ÷ rate ms). */
  rate: number;
  seconds: number;
  /** Keep-alive connections at most; a click that finds them all busy waits for one, and that wait counts. */
  connections: number;
}

/** What came back: each answered click's latency in ms, from the moment it was due to be sent. */
export interface EvenClickResult {
  latencies: number[];
  /** Clicks sent, and answers by status. */
  sent: number;
  statuses: Map<number, number>;
  errors: number;
  /** Seconds from the first click due to the last answer. */
  durationSeconds: number;
}

/**
 * Sends signed Slack clicks to `<url>/slack/events` at an even `rate` (open loop, as Slack's
 * clicks arrive: a late answer does not hold back the next click), and times each from when it was
 * due rather than from when it went out, so a generator or connection pool that falls behind shows
 * in the figures instead of hiding them (coordinated omission). autocannon's `overallRate` sends
 * each connection's share of a second at the start of that second, a burst of `rate` clicks at
 * once, which measures how fast a burst drains, not the ack time at that rate.
 */
export async function sendClicksEvenly(url: string, signingSecret: string, o: EvenClickOptions): Promise<EvenClickResult> {
  const clicks = createClickFactory(signingSecret);
  const target = new URL('/slack/events', url);
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections });
  const total = Math.max(1, Math.round(o.rate * o.seconds));
  const intervalMs = 1000 / o.rate;
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let errors = 0;
  let sent = 0;
  let settled = 0;
  const start = performance.now();
  let lastAnswer = start;

  await new Promise<void>((resolve) => {
    const settle = () => {
      settled++;
      if (settled === total) resolve();
    };
    const send = (dueAt: number) => {
      const click = clicks.next();
      sent++;
      const outgoing = request(target, { method: 'POST', agent, headers: { ...click.headers, 'content-length': Buffer.byteLength(click.body) } }, (response) => {
        response.resume();
        response.on('end', () => {
          lastAnswer = performance.now();
          latencies.push(lastAnswer - dueAt);
          const status = response.statusCode ?? 0;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          settle();
        });
      });
      outgoing.setTimeout(10_000, () => outgoing.destroy(new Error('timed out')));
      outgoing.on('error', () => {
        errors++;
        settle();
      });
      outgoing.end(click.body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
      while (sent < due) send(start + sent * intervalMs);
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * intervalMs - performance.now()));
    };
    tick();
  });
  agent.destroy();
  return { latencies, sent, statuses, errors, durationSeconds: (lastAnswer - start) / 1000 };
}
