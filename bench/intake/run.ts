import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { measureTarget, type Measurement } from './measure-target.js';
import { ALERTS_PER_NOTIFICATION, createPayloadFactory } from './payload.js';
import { formatProfile, readSlowlog, startSlowlog, type SlowlogSummary } from './profile-intake.js';
import { perRequest, readInfo, readRedisCounters } from './redis-stats.js';
import { startRedisServer, type BenchRedisServer } from './redis-server.js';
import { samplePeakRss } from './sample-peak-rss.js';
import { startChild, type BenchChild } from './start-child.js';
import type { RedisTrace } from './trace-redis.js';
import { verifyIntake } from './verify-intake.js';
import { TARGET, toFigures, writeReport, type IntakeReport } from './write-report.js';

const USAGE = `npm run bench -- [options]

Loads POST /webhooks/alertmanager of Warden's web role and of a bare Fastify route, one after the
other, each in its own process, against a private redis-server (AOF, appendfsync everysec).

  --duration <s>      measured seconds per target (default 10)
  --warmup <s>        warm-up seconds per target, not measured (default 3)
  --connections <n>   concurrent keep-alive connections (default 20)
  --out <file>        results file (default bench/results/intake.json)
  --cpu-prof <dir>    write a V8 CPU profile of the Warden process to <dir> (open it in Chrome DevTools)
  --trace-redis       count the commands and socket writes of Warden's Redis connection and
                      time them in Redis (slow log)
  --ceilings          also measure two lower bounds: Warden's HTTP route with no store at all,
                      and with one XADD per notification instead of incidents and jobs
  --all               run every benchmark in turn with its defaults: intake, slack-ack, storm,
                      latency, memory (the same as npm run bench:all)
  --help              this text

Profiling (--cpu-prof, --trace-redis) slows Warden down: the results file is then only written
when --out is given.`;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (name !== 'warmup' && n === 0)) throw new Error(`--${name} must be a positive number, not "${value}"`);
  return n;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

const OPTIONS = {
  duration: { type: 'string' },
  warmup: { type: 'string' },
  connections: { type: 'string' },
  out: { type: 'string' },
  'cpu-prof': { type: 'string' },
  'trace-redis': { type: 'boolean', default: false },
  ceilings: { type: 'boolean', default: false },
  all: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

function readFlags() {
  const { values } = parseArgs({ options: OPTIONS, strict: true });
  return {
    values,
    durationSeconds: positive('duration', values.duration, 10),
    warmupSeconds: positive('warmup', values.warmup, 3),
    connections: Math.round(positive('connections', values.connections, 20)),
  };
}

async function main(): Promise<number> {
  let flags: ReturnType<typeof readFlags>;
  try {
    flags = readFlags();
  } catch (error) {
    console.error(`${(error as Error).message}

${USAGE}`);
    return 2;
  }
  const { values, durationSeconds, warmupSeconds, connections } = flags;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.all) return (await import('../run-all.js')).runAll();
  const profiling = values['cpu-prof'] !== undefined || values['trace-redis'];
  const out = values.out ?? (profiling ? undefined : 'bench/results/intake.json');

  const token = randomBytes(24).toString('hex');
  const prefix = 'warden-bench';
  const payloads = createPayloadFactory();
  const payloadBytes = Buffer.byteLength(createPayloadFactory().next());
  const common = { token, payloads, connections, durationSeconds, warmupSeconds };
  const progress = (name: string) => (second: number, responses: number) => log(`  ${name}: ${second} s, ${responses} responses`);

  let redisServer: BenchRedisServer | undefined;
  let admin: Redis | undefined;
  let child: BenchChild | undefined;
  try {
    redisServer = await startRedisServer();
    admin = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
    const redisVersion = (await readInfo(admin, 'server')).redis_version ?? 'unknown';
    const appendfsync = ((await admin.config('GET', 'appendfsync')) as string[])[1] ?? 'unknown';
    log(`redis-server ${redisVersion} at ${redisServer.url} (appendfsync ${appendfsync})`);

    log(`bare Fastify route: ${warmupSeconds} s warm-up, ${durationSeconds} s measured`);
    child = await startChild(here('./bare-server.ts'));
    const bare: Measurement = await measureTarget({ ...common, name: 'bare', child, onTick: progress('bare') });
    await child.stop();
    child = undefined;

    log(`Warden intake (role web): ${warmupSeconds} s warm-up, ${durationSeconds} s measured`);
    const execArgv = values['cpu-prof'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']];
    child = await startChild(here('./warden-server.ts'), {
      execArgv,
      env: { BENCH_REDIS_URL: redisServer.url, BENCH_PREFIX: prefix, BENCH_TOKEN: token, BENCH_TRACE_REDIS: values['trace-redis'] ? '1' : '0' },
    });
    if (values['trace-redis']) await startSlowlog(admin);
    const redisBefore = await readRedisCounters(admin);
    const stopRedisRss = samplePeakRss(redisServer.pid);
    const intake: Measurement = await measureTarget({ ...common, name: 'intake', child, onTick: progress('intake') });
    const redisPeakRss = stopRedisRss();
    const childStats = await child.stats();
    let slowlog: SlowlogSummary | undefined;
    if (values['trace-redis']) {
      const trace = childStats.extra?.redis as RedisTrace | undefined;
      slowlog = await readSlowlog(admin, 'warden-producer', trace?.scripts ?? {});
    }
    await child.stop();
    child = undefined;
    const redisAfter = await readRedisCounters(admin);
    const redisWork = perRequest(redisBefore, redisAfter, intake.acceptedTotal);
    const check = await verifyIntake({ redis: admin, prefix, accepted: intake.acceptedTotal, sent: intake.sentTotal });

    const ceilings: IntakeReport['ceilings'] = {};
    const ceilingProblems: string[] = [];
    if (values.ceilings) {
      for (const ceiling of ['http', 'append'] as const) {
        log(`ceiling "${ceiling}": ${warmupSeconds} s warm-up, ${durationSeconds} s measured`);
        child = await startChild(here('./ceiling-server.ts'), {
          env: { BENCH_REDIS_URL: redisServer.url, BENCH_PREFIX: `${prefix}-${ceiling}`, BENCH_TOKEN: token, BENCH_CEILING: ceiling },
        });
        const measured = await measureTarget({ ...common, name: ceiling, child, onTick: progress(ceiling) });
        await child.stop();
        child = undefined;
        ceilingProblems.push(...measured.problems.map((p) => `ceiling ${ceiling} ${p}`));
        if (ceiling === 'append') {
          const appended = await admin.xlen(`${prefix}-append:ceiling`);
          if (appended < measured.acceptedTotal || appended > measured.sentTotal) {
            ceilingProblems.push(`ceiling append: the stream holds ${appended} entries for ${measured.acceptedTotal} accepted requests`);
          }
        }
        ceilings[ceiling] = { ...toFigures(measured), ratio: Math.round((measured.requestsPerSecond / bare.requestsPerSecond) * 1000) / 1000 };
      }
    }

    if (profiling) log(formatProfile(childStats, intake.acceptedTotal, slowlog));
    const ratio = intake.requestsPerSecond / bare.requestsPerSecond;
    const report: IntakeReport = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown', node: process.version, redis: redisVersion },
      connections,
      durationSeconds,
      warmupSeconds,
      payloadBytes,
      alertsPerRequest: ALERTS_PER_NOTIFICATION,
      bare: toFigures(bare),
      intake: {
        ...toFigures(intake),
        incidents: check.incidents,
        redis: {
          appendfsync,
          peakRssMb: Math.round((redisPeakRss / (1024 * 1024)) * 10) / 10,
          cpuMsPerRequest: Math.round(redisWork.cpuMs * 1000) / 1000,
          perRequest: redisWork.commands,
        },
      },
      ratio: Math.round(ratio * 1000) / 1000,
      target: TARGET,
      meetsTarget: ratio >= TARGET.ratio && intake.latencyP99Ms < TARGET.p99Ms,
      ...(values.ceilings ? { ceilings } : {}),
    };

    const problems = [...bare.problems.map((p) => `bare ${p}`), ...intake.problems.map((p) => `intake ${p}`), ...check.problems, ...ceilingProblems];
    if (problems.length > 0) {
      // A run with failed requests measures something else: no results file.
      console.log(writeReport(undefined, report));
      console.error(`\nTHE RUN IS NOT VALID:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
      return 1;
    }
    console.log(writeReport(out, report));
    if (profiling) console.log('(profiling was on: these figures are slower than a plain run)');
    return 0;
  } finally {
    await child?.stop().catch(() => {});
    admin?.disconnect();
    await redisServer?.stop();
  }
}

// A reader that goes away (`npm run bench | head`) must not stop the run before it cleans up.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

process.exitCode = await main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  return 1;
});
