import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startRedisServer } from '../intake/redis-server.js';
import { startChild, type BenchChild } from '../intake/start-child.js';
import { loadClicks, type ClickFigures } from '../storm/load-clicks.js';

const USAGE = `npm run bench:slack-ack -- [options]

Sends signed Slack block_actions (card button clicks) at a fixed, even rate to POST /slack/events of
Warden's web role and of a bare Fastify route, one after the other, each in its own process, against
a private redis-server (AOF, appendfsync everysec), and measures how fast each click is acked.

  --rate <n>          requests per second (default 500)
  --duration <s>      measured seconds per target (default 10)
  --warmup <s>        warm-up seconds per target, not measured (default 3)
  --connections <n>   keep-alive connections (default 20)
  --out <file>        results file (default bench/results/slack-ack.json)
  --help              this text`;

/** Issue target: ack p99 at most 50 ms at 500 requests/s. */
const TARGET = { rate: 500, p99Ms: 50 } as const;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

interface Figures extends ClickFigures {
  cpuMsPerRequest: number;
}

async function measure(name: string, child: BenchChild, signingSecret: string, o: { rate: number; duration: number; warmup: number; connections: number }): Promise<Figures> {
  const problems: string[] = [];
  let sent = 0;
  if (o.warmup > 0) {
    const warmup = await loadClicks(`${name} warm-up`, child.url, signingSecret, { rate: o.rate, seconds: o.warmup, connections: o.connections });
    sent += warmup.sent;
    problems.push(...warmup.problems);
  }
  const before = await child.stats();
  const figures = await loadClicks(`${name} measured run`, child.url, signingSecret, { rate: o.rate, seconds: o.duration, connections: o.connections });
  const after = await child.stats();
  const cpuUs = after.cpuUserUs + after.cpuSystemUs - before.cpuUserUs - before.cpuSystemUs;
  return {
    ...figures,
    cpuMsPerRequest: round(figures.answered > 0 ? cpuUs / 1000 / figures.answered : Number.NaN, 3),
    problems: [...problems, ...figures.problems],
    sent: sent + figures.sent,
  };
}

const { values } = parseArgs({
  options: {
    rate: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const options = {
  rate: Number(values.rate ?? TARGET.rate),
  duration: Number(values.duration ?? 10),
  warmup: Number(values.warmup ?? 3),
  connections: Number(values.connections ?? 20),
};
for (const [name, value] of Object.entries(options)) {
  if (!Number.isFinite(value) || value < 0 || (name !== 'warmup' && value === 0)) throw new Error(`--${name} must be a positive number`);
}
const out = values.out ?? fileURLToPath(new URL('../results/slack-ack.json', import.meta.url));

const redisServer = await startRedisServer();
const prefix = `warden-bench-${randomBytes(3).toString('hex')}`;
const signingSecret = randomBytes(16).toString('hex');
const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 3 });
let exitCode = 0;
try {
  log(`bare Fastify route: ${options.warmup} s warm-up, ${options.duration} s at ${options.rate} requests/s`);
  const bareChild = await startChild(here('./bare-server.ts'));
  const bare = await measure('bare', bareChild, signingSecret, options).finally(() => bareChild.stop());

  log(`Warden (role web): ${options.warmup} s warm-up, ${options.duration} s at ${options.rate} requests/s`);
  const env = { BENCH_REDIS_URL: redisServer.url, BENCH_PREFIX: prefix, BENCH_SIGNING_SECRET: signingSecret };
  const wardenChild = await startChild(here('./warden-server.ts'), { env });
  const warden = await measure('warden', wardenChild, signingSecret, options).finally(() => wardenChild.stop());

  // Honesty: every click Warden acked is a queued inbound job (one per click: each has its own ids).
  const queue = new Queue('inbound', { connection: redis, prefix });
  const queued = (await queue.getJobCounts('waiting')).waiting ?? 0;
  await queue.close();
  const problems = [...bare.problems, ...warden.problems];
  if (queued < warden.answered || queued > warden.sent) problems.push(`${queued} inbound jobs queued for ${warden.answered} acked clicks (${warden.sent} sent)`);

  const report = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
    rate: options.rate,
    connections: options.connections,
    durationSeconds: options.duration,
    warmupSeconds: options.warmup,
    bare: { ...bare, problems: undefined, sent: undefined },
    warden: { ...warden, problems: undefined, sent: undefined, inboundJobsQueued: queued },
    p99Ratio: round(warden.latencyP99Ms / bare.latencyP99Ms),
    target: TARGET,
    meetsTarget: options.rate >= TARGET.rate && warden.latencyP99Ms <= TARGET.p99Ms && warden.requestsPerSecond >= options.rate * 0.95,
  };
  const table = [
    'target          req/s   p50 ms   p99 ms   max ms  CPU ms/req',
    ...(['bare', 'warden'] as const).map((name) => {
      const f = report[name];
      return `${(name === 'bare' ? 'bare Fastify' : 'Warden ack').padEnd(12)} ${String(f.requestsPerSecond).padStart(8)} ${String(f.latencyP50Ms).padStart(8)} ${String(f.latencyP99Ms).padStart(8)} ${String(f.latencyMaxMs).padStart(8)} ${String(f.cpuMsPerRequest).padStart(11)}`;
    }),
  ];
  process.stdout.write(`slack-ack benchmark — signed block_actions at ${options.rate}/s, ${options.connections} connections, ${options.duration} s\n${table.join('\n')}\n`);
  if (problems.length > 0) {
    process.stdout.write(`the run was not clean, no results written:\n- ${problems.join('\n- ')}\n`);
    exitCode = 1;
  } else {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`Warden ack p99 ${report.warden.latencyP99Ms} ms (target ≤ ${TARGET.p99Ms} ms at ${TARGET.rate}/s), ${report.p99Ratio}× the bare route's p99: ${report.meetsTarget ? 'TARGET MET' : 'TARGET MISSED'}\nwritten to ${out}\n`);
  }
} finally {
  redis.disconnect();
  await redisServer.stop();
}
process.exit(exitCode);
