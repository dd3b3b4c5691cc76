import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { createRecordingAuditLog, type RecordingAuditLog } from '../../support/recording-audit-log.js';
import { createRecordingChatAdapter, type RecordingChatAdapter } from '../../support/recording-chat-adapter.js';
import { startPrometheus, type StartedPrometheus } from '../../support/start-prometheus.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';

/** Diagnosis when an incident opens: analyze-phase probes against a real Prometheus and a real HTTP endpoint. */
describe('automatic diagnosis', () => {
  let prometheus: StartedPrometheus;
  let health: Server;
  let cards: RecordingChatAdapter;
  let t: TestWarden;
  let audit: RecordingAuditLog;

  beforeAll(async () => {
    prometheus = await startPrometheus();
    health = createServer((_req, res) => res.writeHead(200).end('ok')).listen(0, '127.0.0.1');
    await new Promise((r) => health.once('listening', r));
    cards = createRecordingChatAdapter();
    audit = createRecordingAuditLog();
    t = await startTestWarden({
      name: 'diagnosis',
      audit,
      adapters: { console: cards },
      tree: {
        actions: {
          'scrape-up': {
            kind: 'prometheus',
            phase: 'analyze',
            title: 'Target up',
            url: prometheus.url,
            query: 'up{instance="{{ labels.instance }}"}',
            threshold: 0.5,
            params: { 'labels.instance': '^[A-Za-z0-9.:_-]{1,253}$' },
          },
          'api-health': { kind: 'http-check', phase: 'analyze', title: 'API health', url: `http://127.0.0.1:${(health.address() as AddressInfo).port}/healthz` },
          // Not an analyze-phase probe: never run by diagnosis.
          'isolate-host': { kind: 'http', phase: 'isolate', title: 'Isolate host', destructive: true, request: { url: 'http://127.0.0.1:9/never' } },
        },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await t?.dispose();
    await prometheus?.stop();
    health?.close();
  });

  it('runs the analyze-phase probes, records them on the timeline and shows them on the card', async () => {
    const answer = await postNotification(t.url, t.token, buildNotification({ alertname: 'ScrapeTarget', instances: [prometheus.instance] }));
    expect(answer.status).toBe(202);
    const key = String(answer.body.incident);

    const text = () => JSON.stringify([...cards.latest().values()]);
    await cards.waitFor(() => text().includes('Target up') && text().includes('API health'), 20_000);

    const view = await t.warden.store.view(key);
    expect(view?.diagnosis).toHaveLength(2);
    expect(view?.diagnosis.find((d) => d.actionId === 'scrape-up')).toMatchObject({
      ok: false,
      target: `instance=${prometheus.instance}`,
      summary: expect.stringContaining('1 (instance='),
    });
    expect(view?.diagnosis.find((d) => d.actionId === 'api-health')).toMatchObject({ ok: true, summary: expect.stringMatching(/^HTTP 200 in/) });
    const timeline = await t.warden.store.timeline(key);
    expect(timeline.filter((e) => e.kind === 'diagnosis').map((e) => e.text)).toEqual(
      expect.arrayContaining([expect.stringContaining('FAILED Target up'), expect.stringContaining('OK API health')]),
    );
    // The card was posted once; the results reached it in place (by an update of that message, or
    // in the first post when the diagnosis finished before the card job ran).
    const posts = cards.calls.filter((c) => c.kind === 'post');
    expect(posts).toHaveLength(1);
    expect(cards.calls.filter((c) => c.kind === 'update').every((c) => c.id === posts[0]!.id)).toBe(true);
    // The job's start and result are audit entries.
    const jobEntries = () => audit.entries.filter((e) => e.subject === key && e.type.startsWith('job.'));
    await expect.poll(jobEntries, { timeout: 10_000 }).toEqual([
      expect.objectContaining({ type: 'job.started', detail: expect.objectContaining({ queue: 'diagnose', reason: 'opened', probes: ['scrape-up', 'api-health'] }) }),
      expect.objectContaining({ type: 'job.completed', outcome: 'failed', detail: expect.objectContaining({ results: 2, failing: 1 }) }),
    ]);
  }, 40_000);
});
