import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { createPayloadFactory } from '../intake/payload.js';
import { startRedisServer, type BenchRedisServer } from '../intake/redis-server.js';
import { startChild, type BenchChild } from '../intake/start-child.js';
import type { FakeSlackState } from '../storm/fake-slack-server.js';
import { percentile } from '../storm/load-clicks.js';
import { readStartFlags } from '../read-start-flags.js';

const USAGE = `npm run bench:latency -- [options]

Runs Warden as \`npm start\` does (role all) with one route to a Slack channel on a fake Slack API
(loopback, its own process) and budget to spare (storm limit and outbound budget high), against a
private redis-server (AOF, appendfsync everysec). Sends one new alert group every --interval ms and
times each from the moment its request is written to the moment the fake API receives the
chat.postMessage of its card. Baseline in the same run: the intake requests' own response times.

  --duration <s>      measured seconds (default 30)
  --warmup <s>        seconds at the same rate before, not measured (default 3)
  --interval <ms>     one new group every <ms> (default 100, i.e. 10/s)
  --wait <s>          how long to wait for the last cards after the run (default 30)
  --out <file>        results file (default bench/results/latency.json)
  --help              this text`;

/** Target: alert → card p99 under 250 ms. */
const TARGET = { p99Ms: 250 } as const;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readFlags() {
  const { values } = parseArgs({
    options: { duration: { type: 'string' }, warmup: { type: 'string' }, interval: { type: 'string' }, wait: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', default: false } },
    strict: true,
  });
  const number = (name: 'duration' | 'warmup' | 'interval' | 'wait', fallback: number, zeroOk = false) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0 || (!zeroOk && n === 0)) throw new Error(`--${name} must be a positive number, not "${raw}"`);
    return n;
  };
  return {
    help: values.help,
    out: values.out ?? fileURLToPath(new URL('../results/latency.json', import.meta.url)),
    duration: number('duration', 30),
    warmup: number('warmup', 3, true),
    interval: number('interval', 100),
    wait: number('wait', 30),
  };
}

/** One notification sent: its group, when it was written, and its answer. */
interface Sent {
  group: string;
  measured: boolean;
  sentAt: number;
  status?: number;
  responseMs?: number;
  error?: string;
}

function post(agent: Agent, url: URL, token: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends a new group every `intervalMs` for `seconds`, on a fixed schedule (a slow answer does not delay the next request). */
async function sendGroups(o: { url: URL; token: string; seconds: number; intervalMs: number; measured: boolean; sent: Sent[] }): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const payloads = createPayloadFactory();
  const start = performance.now();
  const count = Math.round((o.seconds * 1000) / o.intervalMs);
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = start + i * o.intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const body = payloads.next();
    const group = /svc-[0-9a-f]{12}/.exec(body)![0];
    const entry: Sent = { group, measured: o.measured, sentAt: Date.now() };
    o.sent.push(entry);
    const t0 = performance.now();
    pending.push(
      post(agent, o.url, o.token, body).then(
        (status) => {
          entry.status = status;
          entry.responseMs = performance.now() - t0;
        },
        (error: Error) => void (entry.error = error.message),
      ),
    );
  }
  await Promise.all(pending);
  agent.destroy();
}

async function main(): Promise<number> {
  let flags: ReturnType<typeof readFlags>;
  try {
    flags = readFlags();
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  const token = randomBytes(24).toString('hex');
  const botToken = `xoxb-${randomBytes(12).toString('hex')}`;
  const channel = 'C0LATENCY';
  const prefix = `warden-bench-${randomBytes(3).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'warden-bench-latency-'));
  // Budget to spare: the storm limit far above the rate, the outbound budget at its maximum.
  const perMinute = Math.ceil((60_000 / flags.interval) * 10);

  let redisServer: BenchRedisServer | undefined;
  let admin: Redis | undefined;
  const children: BenchChild[] = [];
  try {
    redisServer = await startRedisServer();
    admin = new Redis(redisServer.url, { maxRetriesPerRequest: 3 });
    const slackEnv = { BENCH_BOT_TOKEN: botToken, BENCH_CHANNEL: channel };
    const slack = await startChild(here('../storm/fake-slack-server.ts'), { env: slackEnv });
    children.push(slack);
    const warden = await startChild(here('../storm/warden-all-server.ts'), {
      execArgv: readStartFlags(),
      env: {
        ...slackEnv,
        BENCH_REDIS_URL: redisServer.url,
        BENCH_PREFIX: prefix,
        BENCH_TOKEN: token,
        BENCH_SIGNING_SECRET: randomBytes(16).toString('hex'),
        BENCH_SLACK_API_URL: slack.url,
        BENCH_DATA_DIR: dataDir,
        BENCH_SLACK_PER_SECOND: '100',
        BENCH_STORM_PER_MINUTE: String(perMinute),
      },
    });
    children.push(warden);
    const url = new URL(`${warden.url}/webhooks/alertmanager`);
    const sent: Sent[] = [];
    if (flags.warmup > 0) {
      log(`warm-up: a new group every ${flags.interval} ms for ${flags.warmup} s`);
      await sendGroups({ url, token, seconds: flags.warmup, intervalMs: flags.interval, measured: false, sent });
    }
    log(`measured: a new group every ${flags.interval} ms for ${flags.duration} s`);
    await sendGroups({ url, token, seconds: flags.duration, intervalMs: flags.interval, measured: true, sent });

    // Wait for the last cards.
    const posted = new Map<string, number>();
    const deadline = Date.now() + flags.wait * 1000;
    let state: FakeSlackState;
    for (;;) {
      state = (await slack.stats()).extra?.slack as FakeSlackState;
      for (const send of state.sends) if (send.method === 'chat.postMessage') for (const group of send.groups) if (!posted.has(group)) posted.set(group, send.at);
      if (sent.every((s) => posted.has(s.group)) || Date.now() >= deadline) break;
      await sleep(200);
    }
    for (const child of children.splice(0).reverse()) await child.stop();

    const measured = sent.filter((s) => s.measured);
    const problems: string[] = [];
    const statuses = new Map<string, number>();
    for (const s of sent) {
      const key = s.error ? `error ${s.error}` : String(s.status);
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
    for (const [status, count] of statuses) if (status !== '202') problems.push(`${count} requests answered ${status}`);
    const incidents = await admin.hlen(`${prefix}:incidents:open`);
    if (incidents !== sent.length) problems.push(`Redis holds ${incidents} open incidents for ${sent.length} new groups answered`);

    const cardMs = Float64Array.from(measured.filter((s) => posted.has(s.group)).map((s) => posted.get(s.group)! - s.sentAt)).sort();
    const responseMs = Float64Array.from(measured.map((s) => s.responseMs ?? Number.NaN)).sort();
    const missing = measured.filter((s) => !posted.has(s.group)).length;
    const report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown', node: process.version },
      options: { durationSeconds: flags.duration, warmupSeconds: flags.warmup, intervalMs: flags.interval, channel: `slack:${channel}`, slackPerChannelPerSecond: 100, stormNewIncidentsPerMinute: perMinute },
      groups: measured.length,
      intake: { latencyP50Ms: round(percentile(responseMs, 50)), latencyP99Ms: round(percentile(responseMs, 99)), latencyMaxMs: round(responseMs[responseMs.length - 1] ?? Number.NaN) },
      alertToCard: { cards: cardMs.length, missing, latencyP50Ms: round(percentile(cardMs, 50)), latencyP99Ms: round(percentile(cardMs, 99)), latencyMaxMs: round(cardMs[cardMs.length - 1] ?? Number.NaN) },
      incidents,
      slackCalls: state.calls,
      target: TARGET,
    };
    const met = missing === 0 && report.alertToCard.latencyP99Ms < TARGET.p99Ms;
    console.log(
      [
        `latency benchmark — a new group every ${flags.interval} ms for ${flags.duration} s into slack:${channel} (budget to spare)`,
        'figure                      p50 ms   p99 ms   max ms',
        `intake response (baseline) ${String(report.intake.latencyP50Ms).padStart(8)} ${String(report.intake.latencyP99Ms).padStart(8)} ${String(report.intake.latencyMaxMs).padStart(8)}`,
        `alert → card posted        ${String(report.alertToCard.latencyP50Ms).padStart(8)} ${String(report.alertToCard.latencyP99Ms).padStart(8)} ${String(report.alertToCard.latencyMaxMs).padStart(8)}`,
        missing > 0 ? `${missing} of ${measured.length} groups got no card within ${flags.wait} s after the run` : `every one of ${measured.length} groups got its card`,
        `${met ? 'TARGET MET' : 'TARGET MISSED'} alert → card p99 ${report.alertToCard.latencyP99Ms} ms (target < ${TARGET.p99Ms} ms)`,
      ].join('\n'),
    );
    if (problems.length > 0) {
      console.error(`\nTHE RUN IS NOT VALID (no results written):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
      return 1;
    }
    mkdirSync(dirname(flags.out), { recursive: true });
    writeFileSync(flags.out, `${JSON.stringify({ ...report, meetsTarget: met }, null, 2)}\n`);
    console.log(`written to ${flags.out}`);
    return 0;
  } finally {
    for (const child of children.reverse()) await child.stop().catch(() => {});
    admin?.disconnect();
    await redisServer?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

process.exitCode = await main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  return 1;
});
