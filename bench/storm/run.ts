import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { measureTarget, type Measurement } from '../intake/measure-target.js';
import { createPayloadFactory } from '../intake/payload.js';
import { startRedisServer, type BenchRedisServer } from '../intake/redis-server.js';
import { samplePeakRss } from '../intake/sample-peak-rss.js';
import { startChild, type BenchChild } from '../intake/start-child.js';
import { readStartFlags } from '../read-start-flags.js';
import type { FakeSlackState } from './fake-slack-server.js';
import { loadClicks, type ClickFigures } from './load-clicks.js';
import { maxPerSecond, minGapMs, scrapeEventLoopDelay, viewChannel, watchQueues, type ChannelView } from './watch-warden.js';

const USAGE = `npm run bench:storm -- [options]

Runs Warden as \`npm start\` does (role all: HTTP server and workers in one process) with one route
to a Slack channel on a fake Slack API (loopback, its own process), outbound budget 1 message/s per
channel, against a private redis-server (AOF, appendfsync everysec). It loads the intake with an
alert storm (every notification a new group), then at once sends signed Slack clicks while the
storm's jobs run, and waits until every queue is empty and the channel shows every incident.
Baselines in the same run: the durable-append ceiling (Warden's route plus one XADD) under the same
storm, and a bare Fastify route under the same clicks.

  --duration <s>         measured storm seconds (default 10)
  --warmup <s>           storm seconds before the measured ones, for both targets (default 2)
  --connections <n>      storm connections (default 20)
  --click-rate <n>       clicks per second after the storm (default 500)
  --click-duration <s>   seconds of clicks (default 10)
  --click-connections <n> connections for the clicks (default 100: enough that slow acks do not
                         lower the rate sent)
  --drain-timeout <s>    how long to wait for the queues to empty (default 300)
  --budget <n>           limits.outbound.slackPerChannelPerSecond (default 1)
  --storm-limit <n>      limits.storm.newIncidentsPerMinute (default 20, Warden's default)
  --out <file>           results file (default bench/results/storm.json)
  --cpu-prof <dir>       write a V8 CPU profile of the Warden process to <dir> (summarise it with
                         \`node bench/storm/summarize-profile.mjs <file>\`); profiling slows Warden,
                         so the figures of such a run are not comparable
  --help                 this text`;

/** Targets: intake ≥ 0.25 of the append ceiling with p99 < 25 ms; ack p99 ≤ 50 ms; drained within 60 s, digest current within 10 s; RSS < 300 MB. */
export const TARGET = { ratio: 0.25, intakeP99Ms: 25, ackP99Ms: 50, drainSeconds: 60, digestSeconds: 10, peakRssMb: 300 } as const;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => round(bytes / 2 ** 20, 1);
const maxOf = (values: number[]) => (values.length === 0 ? Number.NaN : Math.max(...values));

const OPTIONS = {
  duration: { type: 'string' },
  warmup: { type: 'string' },
  connections: { type: 'string' },
  'click-rate': { type: 'string' },
  'click-duration': { type: 'string' },
  'click-connections': { type: 'string' },
  'drain-timeout': { type: 'string' },
  budget: { type: 'string' },
  'storm-limit': { type: 'string' },
  out: { type: 'string' },
  'cpu-prof': { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

function readFlags() {
  const { values } = parseArgs({ options: OPTIONS, strict: true });
  const number = (name: keyof typeof OPTIONS, fallback: number, zeroOk = false) => {
    const raw = values[name];
    if (raw === undefined || typeof raw === 'boolean') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0 || (!zeroOk && n === 0)) throw new Error(`--${name} must be a positive number, not "${raw}"`);
    return n;
  };
  return {
    help: values.help,
    cpuProf: values['cpu-prof'],
    out: values.out ?? fileURLToPath(new URL('../results/storm.json', import.meta.url)),
    duration: number('duration', 10),
    warmup: number('warmup', 2, true),
    connections: Math.round(number('connections', 20)),
    clickRate: number('click-rate', 500),
    clickDuration: number('click-duration', 10),
    clickConnections: Math.round(number('click-connections', 100)),
    drainTimeout: number('drain-timeout', 300),
    budget: number('budget', 1),
    stormLimit: Math.round(number('storm-limit', 20)),
  };
}

function figures(m: Measurement) {
  return {
    requestsPerSecond: round(m.requestsPerSecond, 1),
    latencyP50Ms: round(m.latencyP50Ms),
    latencyP99Ms: round(m.latencyP99Ms),
    latencyMaxMs: round(m.latencyMaxMs),
    peakRssMb: round(m.peakRssMb, 1),
    cpuMsPerRequest: round(m.cpuMsPerRequest, 3),
    accepted: m.acceptedTotal,
  };
}

async function slackState(child: BenchChild): Promise<FakeSlackState> {
  return (await child.stats()).extra?.slack as FakeSlackState;
}

/** Counts jobs of a queue in every state, finished ones included. */
async function countAllJobs(redis: Redis, prefix: string, name: string): Promise<number> {
  const queue = new Queue(name, { connection: redis, prefix });
  try {
    return Object.values(await queue.getJobCounts()).reduce((sum, n) => sum + n, 0);
  } finally {
    await queue.close();
  }
}

/**
 * How many incidents the channel's card routing has decided (the per-minute storm counters count
 * every incident given a card of its own or put on a digest) and how many are on its digests (the
 * digests' sorted sets).
 */
async function readRouting(admin: Redis, prefix: string, destination: string): Promise<{ routed: number; onDigests: number }> {
  const scan = async (pattern: string) => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      found.push(...keys);
    } while (cursor !== '0');
    return found;
  };
  const counters = (await scan(`${prefix}:storm:${destination}:*`)).filter((key) => /:\d+$/.test(key));
  const rankings = await scan(`${prefix}:digest:${destination}:*:ranking`);
  const routed = (await Promise.all(counters.map((key) => admin.get(key)))).reduce((sum, n) => sum + Number(n ?? 0), 0);
  const onDigests = (await Promise.all(rankings.map((key) => admin.zcard(key)))).reduce((sum, n) => sum + n, 0);
  return { routed, onDigests };
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
  const signingSecret = randomBytes(16).toString('hex');
  const botToken = `xoxb-${randomBytes(12).toString('hex')}`;
  const channel = 'C0STORM';
  const prefix = `warden-bench-${randomBytes(3).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'warden-bench-storm-'));
  const storm = { token, connections: flags.connections, durationSeconds: flags.duration, warmupSeconds: flags.warmup };
  const clicks = { rate: flags.clickRate, seconds: flags.clickDuration, connections: flags.clickConnections };
  const progress = (name: string) => (second: number, responses: number) => log(`  ${name}: ${second} s, ${responses} responses`);

  let redisServer: BenchRedisServer | undefined;
  let admin: Redis | undefined;
  const children: BenchChild[] = [];
  const stop = async (child: BenchChild) => {
    children.splice(children.indexOf(child), 1);
    await child.stop();
  };
  try {
    redisServer = await startRedisServer();
    admin = new Redis(redisServer.url, { maxRetriesPerRequest: 3 });
    log(`redis-server at ${redisServer.url}`);

    // Baselines first, each in its own process, against the same Redis.
    log(`append ceiling (Warden's route + one XADD): ${flags.warmup} s warm-up, ${flags.duration} s measured`);
    const ceilingChild = await startChild(here('../intake/ceiling-server.ts'), {
      env: { BENCH_REDIS_URL: redisServer.url, BENCH_PREFIX: `${prefix}-append`, BENCH_TOKEN: token, BENCH_CEILING: 'append' },
    });
    children.push(ceilingChild);
    const ceiling = await measureTarget({ ...storm, name: 'append', child: ceilingChild, payloads: createPayloadFactory(), onTick: progress('append') });
    await stop(ceilingChild);
    const appended = await admin.xlen(`${prefix}-append:ceiling`);

    log(`bare click route: ${clicks.seconds} s at ${clicks.rate}/s`);
    const bareChild = await startChild(here('../slack-ack/bare-server.ts'));
    children.push(bareChild);
    await loadClicks('bare warm-up', bareChild.url, signingSecret, { ...clicks, seconds: Math.min(2, clicks.seconds) });
    const bareClicks = await loadClicks('bare clicks', bareChild.url, signingSecret, clicks);
    await stop(bareChild);

    // Warden, role all, and its Slack.
    const slackEnv = { BENCH_BOT_TOKEN: botToken, BENCH_CHANNEL: channel };
    const slack = await startChild(here('./fake-slack-server.ts'), { env: slackEnv });
    children.push(slack);
    const warden = await startChild(here('./warden-all-server.ts'), {
      // As `npm start` runs it: with its Node.js flags.
      execArgv: [...readStartFlags(), ...(flags.cpuProf === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', flags.cpuProf])],
      env: {
        ...slackEnv,
        BENCH_REDIS_URL: redisServer.url,
        BENCH_PREFIX: prefix,
        BENCH_TOKEN: token,
        BENCH_SIGNING_SECRET: signingSecret,
        BENCH_SLACK_API_URL: slack.url,
        BENCH_DATA_DIR: dataDir,
        BENCH_SLACK_PER_SECOND: String(flags.budget),
        BENCH_STORM_PER_MINUTE: String(flags.stormLimit),
      },
    });
    children.push(warden);
    const queues = watchQueues(admin, prefix);
    const idle = await queues.jobsLeft();
    if (idle.total > 0) log(`  (${idle.total} jobs queued before the storm: ${JSON.stringify(idle.byQueue)})`);

    log(`storm on Warden (role all): ${flags.warmup} s warm-up, ${flags.duration} s measured, ${flags.connections} connections`);
    const stopScraping = scrapeEventLoopDelay(warden.url);
    const intake = await measureTarget({ ...storm, name: 'storm', child: warden, payloads: createPayloadFactory(), onTick: progress('storm') });
    const stormEnd = Date.now();
    const eventLoop = await stopScraping();

    log(`clicks at ${clicks.rate}/s for ${clicks.seconds} s while the storm's jobs run; watching the queues and the channel`);
    const stopRss = samplePeakRss(warden.pid);
    const clickRun = loadClicks('Warden clicks', warden.url, signingSecret, clicks);
    let clicksDone = false;
    void clickRun.then(() => (clicksDone = true), () => {});
    let jobsWhenClicksStarted: number | undefined;
    let jobsWhenClicksEnded: number | undefined;
    let drainedMs: number | undefined;
    let digestMs: number | undefined;
    let digestCurrentMs: number | undefined;
    let left = await queues.jobsLeft();
    let view: ChannelView = viewChannel([]);
    let incidents = 0;
    let lastLog = 0;
    for (;;) {
      const elapsed = Date.now() - stormEnd;
      [left, incidents, view] = await Promise.all([queues.jobsLeft(), admin.hlen(`${prefix}:incidents:open`), slackState(slack).then((s) => viewChannel(s.sends))]);
      const at = Date.now() - stormEnd;
      jobsWhenClicksStarted ??= left.total;
      if (clicksDone) jobsWhenClicksEnded ??= left.total;
      if (digestMs === undefined && incidents >= intake.acceptedTotal && view.shown === incidents) digestMs = at;
      if (digestCurrentMs === undefined && incidents >= intake.acceptedTotal) {
        // Every incident routed (a card of its own or the digest: the storm counters count both),
        // and the digests in the channel list every incident on them (what Redis holds).
        const routing = await readRouting(admin, prefix, `slack:${channel}`);
        const onDigests = view.digests.reduce((sum, d) => sum + d.count, 0);
        if (routing.routed === incidents && routing.onDigests === onDigests) digestCurrentMs = at;
      }
      if (drainedMs === undefined && left.total === 0) drainedMs = at;
      if (elapsed - lastLog >= 5000) {
        lastLog = elapsed;
        log(`  +${Math.round(at / 1000)} s: ${left.total} jobs left, the channel shows ${view.shown} of ${incidents} incidents`);
      }
      if ((drainedMs !== undefined && digestMs !== undefined && digestCurrentMs !== undefined) || at >= flags.drainTimeout * 1000) break;
      await sleep(250);
    }
    const wardenClicks: ClickFigures = await clickRun;
    jobsWhenClicksEnded ??= (await queues.jobsLeft()).total;
    // The clicks' own jobs may outlast the drain check: count them all before stopping.
    await sleep(500);
    const drainPeakRss = stopRss();
    const state = await slackState(slack);
    await queues.close();
    await stop(warden);
    await stop(slack);

    // Honesty: every request was answered as it should be and what was answered is in Redis.
    const problems = [...ceiling.problems.map((p) => `append ceiling ${p}`), ...intake.problems.map((p) => `storm ${p}`), ...bareClicks.problems, ...wardenClicks.problems];
    if (appended < ceiling.acceptedTotal || appended > ceiling.sentTotal) problems.push(`append ceiling: the stream holds ${appended} entries for ${ceiling.acceptedTotal} accepted requests`);
    incidents = await admin.hlen(`${prefix}:incidents:open`);
    if (incidents < intake.acceptedTotal) problems.push(`Redis holds ${incidents} open incidents but Warden answered 202 to ${intake.acceptedTotal} new groups`);
    if (incidents > intake.sentTotal) problems.push(`Redis holds ${incidents} open incidents but only ${intake.sentTotal} requests were sent`);
    const inboundJobs = await countAllJobs(admin, prefix, 'inbound');
    if (inboundJobs < wardenClicks.answered || inboundJobs > wardenClicks.sent) problems.push(`${inboundJobs} inbound jobs for ${wardenClicks.answered} acked clicks (${wardenClicks.sent} sent)`);
    if (view.shown > incidents) problems.push(`the channel accounts for ${view.shown} incidents but only ${incidents} exist`);

    const channelSends = state.sends.length;
    const maxInOneSecond = maxPerSecond(state.sends, 50);
    const maxInOneSecondStrict = maxPerSecond(state.sends, 0);
    const ratio = intake.requestsPerSecond / ceiling.requestsPerSecond;
    const peakRssMb = round(intake.peakRssMb, 1);
    const report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown', node: process.version },
      options: { ...flags, out: undefined, help: undefined, channel: `slack:${channel}` },
      storm: {
        ceilingAppend: figures(ceiling),
        warden: { ...figures(intake), incidents },
        ratio: round(ratio, 3),
        eventLoopDelay: {
          scrapes: eventLoop.p99Ms.length,
          p99MsMax: round(maxOf(eventLoop.p99Ms)),
          p99MsMedian: round([...eventLoop.p99Ms].sort((a, b) => a - b)[Math.floor(eventLoop.p99Ms.length / 2)] ?? Number.NaN),
          maxMs: round(maxOf(eventLoop.maxMs)),
        },
      },
      clicks: { bare: { ...bareClicks, problems: undefined }, warden: { ...wardenClicks, problems: undefined, inboundJobs, jobsLeftWhenStarted: jobsWhenClicksStarted, jobsLeftWhenEnded: jobsWhenClicksEnded }, p99Ratio: round(wardenClicks.latencyP99Ms / bareClicks.latencyP99Ms) },
      drain: {
        drainedSeconds: drainedMs === undefined ? null : round(drainedMs / 1000, 1),
        jobsLeft: drainedMs === undefined ? left : { total: 0, byQueue: {} },
        digestCurrentSeconds: digestCurrentMs === undefined ? null : round(digestCurrentMs / 1000, 1),
        channelCompleteSeconds: digestMs === undefined ? null : round(digestMs / 1000, 1),
        channel: { sends: channelSends, ownCards: view.ownCards, digests: view.digests, shown: view.shown, incidents },
        maxSendsInOneSecond: maxInOneSecond,
        maxSendsInOneSecondNoSlop: maxInOneSecondStrict,
        minGapBetweenSendsMs: minGapMs(state.sends) ?? null,
        budgetPerSecond: flags.budget,
        peakRssMbAfterStorm: mb(drainPeakRss),
        slackCalls: state.calls,
      },
      target: TARGET,
    };
    const checks: [string, string, boolean][] = [
      ['ratio', `intake ${round(intake.requestsPerSecond, 0)} req/s = ${round(ratio, 3)}× the append ceiling (target ≥ ${TARGET.ratio})`, ratio >= TARGET.ratio],
      ['intakeP99', `intake p99 ${round(intake.latencyP99Ms)} ms (target < ${TARGET.intakeP99Ms} ms)`, intake.latencyP99Ms < TARGET.intakeP99Ms],
      ['ackP99', `click ack p99 ${wardenClicks.latencyP99Ms} ms at ${clicks.rate}/s during the storm's jobs (target ≤ ${TARGET.ackP99Ms} ms)`, wardenClicks.latencyP99Ms <= TARGET.ackP99Ms && wardenClicks.requestsPerSecond >= clicks.rate * 0.95],
      ['drain', drainedMs === undefined ? `not drained after ${flags.drainTimeout} s, ${left.total} jobs left (target ≤ ${TARGET.drainSeconds} s)` : `drained in ${round(drainedMs / 1000, 1)} s (target ≤ ${TARGET.drainSeconds} s)`, drainedMs !== undefined && drainedMs <= TARGET.drainSeconds * 1000],
      ['digestCurrent', digestCurrentMs === undefined ? `the channel's digests never listed every incident on them (target ≤ ${TARGET.digestSeconds} s)` : `digest current in ${round(digestCurrentMs / 1000, 1)} s: every incident routed and each digest lists all of its incidents (target ≤ ${TARGET.digestSeconds} s); every own card posted too in ${digestMs === undefined ? 'never' : `${round(digestMs / 1000, 1)} s`}`, digestCurrentMs !== undefined && digestCurrentMs <= TARGET.digestSeconds * 1000],
      ['budget', `at most ${maxInOneSecond} messages to the channel in any 1 s (budget ${flags.budget}/s, 50 ms slop; shortest gap ${minGapMs(state.sends) ?? '–'} ms)`, maxInOneSecond <= Math.ceil(flags.budget)],
      ['peakRss', `peak RSS during the storm ${peakRssMb} MB (target < ${TARGET.peakRssMb} MB)`, peakRssMb < TARGET.peakRssMb],
    ];
    const table = [
      `storm benchmark — ${flags.connections} connections, ${flags.warmup} s + ${flags.duration} s of new groups, then ${clicks.rate} clicks/s for ${clicks.seconds} s`,
      'target                       req/s   p50 ms   p99 ms   max ms  peak RSS MB',
      ...[['append ceiling', report.storm.ceilingAppend] as const, ['Warden intake (role all)', report.storm.warden] as const].map(
        ([name, f]) => `${name.padEnd(26)} ${String(f.requestsPerSecond).padStart(7)} ${String(f.latencyP50Ms).padStart(8)} ${String(f.latencyP99Ms).padStart(8)} ${String(f.latencyMaxMs).padStart(8)} ${String(f.peakRssMb).padStart(12)}`,
      ),
      ...[['bare click route', bareClicks] as const, ['Warden click ack', wardenClicks] as const].map(
        ([name, f]) => `${name.padEnd(26)} ${String(f.requestsPerSecond).padStart(7)} ${String(f.latencyP50Ms).padStart(8)} ${String(f.latencyP99Ms).padStart(8)} ${String(f.latencyMaxMs).padStart(8)}`,
      ),
      `jobs left in Warden's queues when the clicks started: ${jobsWhenClicksStarted}, when they ended: ${jobsWhenClicksEnded}`,
      `event loop delay during the storm: p99 up to ${report.storm.eventLoopDelay.p99MsMax} ms (median window ${report.storm.eventLoopDelay.p99MsMedian} ms), max ${report.storm.eventLoopDelay.maxMs} ms`,
      `channel: ${channelSends} sends, ${view.ownCards} own cards + ${view.digests.length} digest(s) listing ${view.digests.map((d) => d.count).join(' + ') || 0} = ${view.shown} of ${incidents} incidents`,
      ...checks.map(([, text, met]) => `${met ? 'TARGET MET   ' : 'TARGET MISSED'} ${text}`),
    ];
    console.log(table.join('\n'));
    if (problems.length > 0) {
      console.error(`\nTHE RUN IS NOT VALID (no results written):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
      return 1;
    }
    mkdirSync(dirname(flags.out), { recursive: true });
    writeFileSync(flags.out, `${JSON.stringify({ ...report, targetsMet: Object.fromEntries(checks.map(([key, text, met]) => [key, { met, text }])) }, null, 2)}\n`);
    console.log(`written to ${flags.out}`);
    return 0;
  } finally {
    for (const child of [...children].reverse()) await child.stop().catch(() => {});
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
