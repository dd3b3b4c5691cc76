import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChecklists } from '../../src/checklists/load-checklists.js';
import { createRunStore } from '../../src/checklists/create-run-store.js';
import { createRedisKeys } from '../../src/redis/redis-keys.js';
import { buildNotification, postNotification } from '../support/build-notification.js';
import { buildTestRun, SHIPPED_CHECKLISTS } from '../support/checklist-test-runs.js';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api.js';
import { openSlackIncident } from '../support/open-slack-incident.js';
import { readAuditHistory } from '../support/read-audit-history.js';
import { buildSlackButtonClick, postSignedSlackRequest } from '../support/signed-slack-request.js';
import { startTestWarden, type TestWarden } from '../support/start-test-warden.js';
import { connectTestRedis, randomSecret } from '../support/test-redis.js';

/** Where the pages' screenshots go (ignored by git). */
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The web console in a real browser (Debian's Chromium, driven by playwright-core): a real Warden
 * (Redis, BullMQ workers, the fake Slack Web API on loopback) with the console on, loopback as the
 * trusted proxy, and the proxy's identity headers set by the browser itself (`extraHTTPHeaders`).
 */
describe('web console in a browser', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  const redis = connectTestRedis();
  let slack: FakeSlackApi;
  let t: TestWarden;
  let context: BrowserContext;
  let profile: string;
  let critical = '';
  let warning = '';
  const cspErrors: string[] = [];

  /** A page signed in as `headers` (none: no proxy identity). */
  const openPage = async (headers: Record<string, string> = {}): Promise<Page> => {
    const page = await context.newPage();
    await page.setExtraHTTPHeaders(headers);
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspErrors.push(message.text());
    });
    return page;
  };
  const alice = { 'X-Forwarded-User': 'alice', 'X-Forwarded-Email': 'Alice@Example.com' };
  const shoot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `console-${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    slack = await startFakeSlackApi({ botToken });
    t = await startTestWarden({
      name: 'web-console',
      tree: {
        server: { trustedProxies: ['127.0.0.1', '::1'] },
        console: { enabled: true },
        // The compliance calendar shows the days of the checklists' time zone, and names it.
        checklists: { timezone: 'Asia/Shanghai' },
        slack: { signingSecret, botToken, apiUrl: slack.url, appId: 'A0WARDEN', teamId: 'T0TEAM' },
        routes: [
          { name: 'security', match: { severity: 'critical' }, to: ['slack:C0SEC'] },
          { name: 'ops', to: ['slack:C0OPS'] },
        ],
        access: {
          people: { alice: ['slack:U0ALICE', 'email:alice@example.com'], bob: ['email:bob@example.com'] },
          groups: { responders: ['alice'], viewers: ['alice'] },
          permissions: { 'incident.respond': ['responders'], 'console.view': ['viewers'] },
        },
        limits: { outbound: { slackPerChannelPerSecond: 50 } },
      },
    });

    // A real flow: a signed Alertmanager notification, then Acknowledge clicked on the Slack card.
    let cardTs: string;
    ({ key: critical, cardTs } = await openSlackIncident(t, slack, 'C0SEC', 'SuspiciousProcess'));
    const click = await postSignedSlackRequest({
      url: t.url,
      signingSecret,
      body: buildSlackButtonClick({ user: 'U0ALICE', actionId: 'incident.acknowledge', value: JSON.stringify({ k: critical }), channel: 'C0SEC', messageTs: cardTs, triggerId: 'trigger-ack', actionTs: '1700000000.000001' }),
    });
    expect(click.status).toBe(200);
    await slack.waitFor(() => JSON.stringify(slack.messages('C0SEC')[0]?.blocks ?? null).includes('slack:U0ALICE'), 15_000);
    expect((await t.warden.store.get(critical))?.acknowledgedBy).toBe('slack:U0ALICE');
    const posted = await postNotification(t.url, t.token, buildNotification({ alertname: 'DiskFull', severity: 'warning', instances: ['db-1:9100'], groupKey: 'disk' }));
    expect(posted.status).toBe(202);
    warning = posted.body.incident as string;
    await slack.waitFor(() => slack.messages('C0OPS').length === 1, 15_000);

    // Scripted checklist runs: daily done on time, daily open past due with a failed check, weekly done late, a missed daily slot.
    const keys = createRedisKeys(t.prefix);
    const runs = createRunStore(redis, keys);
    const checklists = loadChecklists(SHIPPED_CHECKLISTS, { actions: {} });
    const now = Date.now();
    const pass = async (runId: string, itemIds: string[]) => {
      for (const itemId of itemIds) await runs.updateItem(runId, itemId, ['open'], { state: 'passed', by: 'slack:U0ALICE', at: Date.now() }, Date.now());
    };
    const onTime = buildTestRun(checklists.get('daily')!, { run: { startedAt: now - 2 * DAY, dueAt: now + DAY } });
    const overdue = buildTestRun(checklists.get('daily')!, { run: { startedAt: now - DAY - HOUR, dueAt: now - HOUR } });
    const late = buildTestRun(checklists.get('weekly')!, { run: { startedAt: now - 3 * DAY, dueAt: now - 3 * DAY + HOUR } });
    for (const view of [onTime, overdue, late]) expect((await runs.start(view.run, view.items, { exclusive: false })).outcome).toBe('started');
    await pass(onTime.run.id, onTime.run.itemIds);
    await pass(late.run.id, late.run.itemIds);
    const failing = overdue.run.itemIds[0]!;
    await runs.updateItem(overdue.run.id, failing, ['open'], { state: 'failed', by: 'warden', at: Date.now(), evidence: 'disk 97% full on /var' }, Date.now());
    const missedSlot = now - 4 * DAY;
    await redis.zadd(keys.checklistMissed('daily'), missedSlot, String(missedSlot));

    profile = mkdtempSync(join(tmpdir(), 'warden-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await t?.dispose();
    await slack?.close();
    redis.disconnect();
  });

  it('refuses a browser without the proxy identity (401) with a clear message', async () => {
    const page = await openPage();
    const response = await page.goto(`${t.url}/console/incidents`);
    expect(response?.status()).toBe(401);
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('Sign-in required');
    expect(await page.locator('table').count()).toBe(0);
    const json = await page.goto(`${t.url}/console/metrics.json`);
    expect(json?.status()).toBe(401);
    await shoot(page, '401');
    await page.close();
  });

  it('refuses a signed-in user without console.view (403) and audits it', async () => {
    const page = await openPage({ 'X-Forwarded-Email': 'bob@example.com', 'X-Forwarded-User': 'bob' });
    const response = await page.goto(`${t.url}/console/incidents`);
    expect(response?.status()).toBe(403);
    const message = await page.locator('[role=alert]').textContent();
    expect(message).toContain('console.view');
    expect(message).not.toContain(critical);
    // The refusal page is styled: the package's stylesheet is the same for everyone. Anything else under /console is refused.
    expect((await page.goto(`${t.url}/console/assets/console.css`))?.status()).toBe(200);
    expect((await page.goto(`${t.url}/console/assets/nothing.css`))?.status()).toBe(403);
    await page.goto(`${t.url}/console/incidents`);
    await shoot(page, '403');
    await page.close();
    const history = await readAuditHistory(redis, createRedisKeys(t.prefix), t.config.audit.file);
    expect(history.filter((entry) => entry.type === 'console.denied')).toEqual([expect.objectContaining({ actor: 'email:bob@example.com,sso:bob', outcome: 'denied' })]);
  });

  it('signs alice in through the proxy headers, audits the sign-in once, and lists and filters incidents', async () => {
    const page = await openPage(alice);
    const response = await page.goto(`${t.url}/console`);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${t.url}/console/incidents`);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("style-src 'self'");
    expect(headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    await expect(page.locator('.viewer').textContent()).resolves.toContain('alice');
    // The list works without JavaScript: the page has no script at all.
    expect(await page.locator('script').count()).toBe(0);
    // Every form field has a label; the table has column headers; the landmarks are there.
    const unlabelled = await page.locator('input, select').evaluateAll((fields) => fields.filter((field) => (field as unknown as { labels: unknown[] }).labels.length === 0).length);
    expect(unlabelled).toBe(0);
    expect(await page.locator('table.incidents thead th[scope=col]').count()).toBe(8);
    for (const landmark of ['header.banner', 'nav[aria-label]', 'main#main', 'footer']) expect(await page.locator(landmark).count()).toBe(1);
    const rows = page.locator('table.incidents tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    // One page holds them all: no link to older ones.
    expect(await page.locator('nav.pager').count()).toBe(0);
    await expect(page.locator('p.count').textContent()).resolves.toBe('2 incidents match.');
    await shoot(page, 'incidents');

    await page.selectOption('#f-severity', 'warning');
    await Promise.all([page.waitForURL(/severity=warning/), page.click('button[type=submit]')]);
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().textContent()).resolves.toContain('DiskFull');

    await page.goto(`${t.url}/console/incidents?route=security`);
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().textContent()).resolves.toContain('SuspiciousProcess');

    await page.goto(`${t.url}/console/incidents`);
    await page.fill('#f-q', critical.slice(0, 10));
    await page.selectOption('#f-status', 'closed');
    await Promise.all([page.waitForURL(/status=closed/), page.click('button[type=submit]')]);
    await expect(page.locator('table.incidents tbody').textContent()).resolves.toContain('No incident matches');
    await page.selectOption('#f-status', 'open');
    await Promise.all([page.waitForURL(/status=open/), page.click('button[type=submit]')]);
    await expect(rows.count()).resolves.toBe(1);

    const today = new Date().toISOString().slice(0, 10);
    await page.goto(`${t.url}/console/incidents?since=2000-01-01&until=2000-12-31`);
    await expect(page.locator('table.incidents tbody').textContent()).resolves.toContain('No incident matches');
    await page.goto(`${t.url}/console/incidents?since=2000-01-01&until=${today}`);
    await expect(rows.count()).resolves.toBe(2);
    await page.close();

    const history = await readAuditHistory(redis, createRedisKeys(t.prefix), t.config.audit.file);
    expect(history.filter((entry) => entry.type === 'console.signin')).toEqual([expect.objectContaining({ actor: 'alice', outcome: 'ok', detail: expect.objectContaining({ identities: ['email:alice@example.com'] }) })]);
  });

  it('shows the incident page with the timeline of the real flow: opened, then acknowledged by alice', async () => {
    const page = await openPage(alice);
    await page.goto(`${t.url}/console/incidents`);
    await Promise.all([page.waitForURL(new RegExp(`/console/incidents/${critical}$`)), page.click(`a[href="/console/incidents/${critical}"]`)]);
    expect(await page.locator('script').count()).toBe(0);
    await expect(page.locator('h1').textContent()).resolves.toContain('SuspiciousProcess');
    const timeline = page.locator('#h-timeline + table tbody');
    await expect(timeline.textContent()).resolves.toMatch(/acknowledged\s*slack:U0ALICE/);
    await expect(timeline.textContent()).resolves.toContain('opened');
    await expect(page.locator('table.facts').first().textContent()).resolves.toContain('by slack:U0ALICE');
    // The card's place in chat, with a link to it.
    await expect(page.locator('a', { hasText: 'Open in chat' }).getAttribute('href')).resolves.toMatch(/^https:\/\/slack\.com\/archives\/C0SEC\/p\d+$/);
    // The card's links, as the card shows them: Alertmanager's own; a source on a host nobody allowed is text only.
    await expect(page.locator('ul.links a').first().getAttribute('href')).resolves.toBe('http://alertmanager.example:9093/');
    expect(await page.locator('a[href^="http://prometheus.example"]').count()).toBe(0);
    await shoot(page, 'incident');
    const missing = await page.goto(`${t.url}/console/incidents/inc-000000000000`);
    expect(missing?.status()).toBe(404);
    await page.close();
  });

  it('shows the compliance calendar of the scripted runs: on time, late, overdue with its failure, missed', async () => {
    const page = await openPage(alice);
    expect((await page.goto(`${t.url}/console/checklists`))?.status()).toBe(200);
    await expect(page.locator('.time-zone').textContent()).resolves.toContain('Asia/Shanghai');
    const daily = page.locator('section[data-checklist=daily]');
    const weekly = page.locator('section[data-checklist=weekly]');
    await expect(daily.locator('.calendar .run-on-time').count()).resolves.toBe(1);
    await expect(daily.locator('.calendar .run-overdue').count()).resolves.toBe(1);
    await expect(daily.locator('.calendar .run-missed').count()).resolves.toBe(1);
    await expect(weekly.locator('.calendar .run-late').count()).resolves.toBe(1);
    await expect(daily.locator('table.failures tbody').textContent()).resolves.toContain('disk 97% full on /var');
    await expect(daily.locator('.calendar .run-overdue').textContent()).resolves.toContain('1 failed');
    await shoot(page, 'checklists');
    await page.close();
  });

  it('draws the response metrics charts with data (uPlot on a canvas), without a CSP violation', async () => {
    const page = await openPage(alice);
    expect((await page.goto(`${t.url}/console/metrics`))?.status()).toBe(200);
    await page.waitForSelector('figure.chart[data-metric=mtta][data-drawn=yes]', { timeout: 10_000 });
    // Runs in the page: each chart's canvas, its size and how many of its pixels are drawn.
    const drawn: { metric: string | null; width: number; height: number; painted: number; critical: number }[] = await page.locator('figure.chart').evaluateAll((figures) =>
      figures.map((figure) => {
        const canvas = figure.querySelector('canvas');
        if (!canvas) return { metric: figure.getAttribute('data-metric'), width: 0, height: 0, painted: 0, critical: 0 };
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        let critical = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3]! > 0) painted++;
          // The critical series' colour (#b3261e): the data point itself, not only axes and grid.
          if (data[i + 3]! > 200 && Math.abs(data[i]! - 179) < 30 && data[i + 1]! < 80 && data[i + 2]! < 80) critical++;
        }
        return { metric: figure.getAttribute('data-metric'), width: canvas.width, height: canvas.height, painted, critical };
      }),
    );
    expect(drawn.map((chart) => chart.metric)).toEqual(['mtta', 'mttc', 'mttr']);
    for (const chart of drawn) {
      expect(chart.width).toBeGreaterThan(100);
      expect(chart.height).toBeGreaterThan(100);
      expect(chart.painted).toBeGreaterThan(500);
    }
    // Only the acknowledged incident has a value: MTTA of the critical one.
    expect(drawn[0]!.critical).toBeGreaterThan(10);
    // The acknowledged incident's MTTA is in the table too (the figures without JavaScript).
    await expect(page.locator('table.metrics tbody').textContent()).resolves.toContain('critical');
    await shoot(page, 'metrics');
    expect(cspErrors).toEqual([]);
    await page.close();
  });

  it("shows the audit log's verification and the last checkpoint section", async () => {
    const page = await openPage(alice);
    expect((await page.goto(`${t.url}/console/audit`))?.status()).toBe(200);
    await expect(page.locator('.audit-state').getAttribute('data-state')).resolves.toBe('verified');
    await expect(page.locator('main').textContent()).resolves.toMatch(/checkpoint/i);
    await shoot(page, 'audit');
    expect(cspErrors).toEqual([]);
    await page.close();
  });
});
