import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { measureTarget } from '../intake/measure-target.js';
import { createPayloadFactory } from '../intake/payload.js';
import { startRedisServer, type BenchRedisServer } from '../intake/redis-server.js';
import { startChild, type BenchChild } from '../intake/start-child.js';
import { toFigures, type TargetFigures } from '../intake/write-report.js';

const USAGE = `npm run bench:replica-wait -- [--duration <s>] [--warmup <s>] [--out <file>]

What redis.waitForReplicas costs the Alertmanager intake: a private primary and its replica
(both AOF, appendfsync everysec) on loopback; first 2000 sequential SETs alone and each followed
by WAIT 1 500, then Warden's web role in its own process, once without the option and once with
{ replicas: 1, timeoutMs: 500 }, each loaded with 1 and with 20 connections. Writes
bench/results/replica-wait.json.`;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);

async function waitForSync(replica: Redis): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!/master_link_status:up/.test(await replica.info('replication'))) {
    if (Date.now() > deadline) throw new Error('the replica did not sync with the primary within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** p50 and p99 (ms) of `rounds` sequential SETs on the primary, each alone and each followed by `WAIT 1 500`. */
async function measureRawWait(primary: Redis, rounds: number): Promise<Record<'set' | 'setAndWait', { p50Ms: number; p99Ms: number }>> {
  const time = async (withWait: boolean) => {
    const took: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const started = process.hrtime.bigint();
      await primary.set(`warden-bench-raw:${i}`, 'x');
      if (withWait && Number(await primary.call('WAIT', 1, 500)) < 1) throw new Error('the replica did not confirm a write');
      took.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    took.sort((a, b) => a - b);
    return { p50Ms: Math.round(percentile(took, 50) * 1000) / 1000, p99Ms: Math.round(percentile(took, 99) * 1000) / 1000 };
  };
  return { set: await time(false), setAndWait: await time(true) };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { duration: { type: 'string' }, warmup: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', default: false } }, strict: true });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const durationSeconds = Number(values.duration ?? 8);
  const warmupSeconds = Number(values.warmup ?? 2);
  const out = values.out ?? 'bench/results/replica-wait.json';
  const token = randomBytes(24).toString('hex');
  const servers: BenchRedisServer[] = [];
  let child: BenchChild | undefined;
  const admin: Redis[] = [];
  try {
    const primary = await startRedisServer();
    servers.push(primary);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', new URL(primary.url).port] });
    servers.push(replica);
    const replicaClient = new Redis(replica.url, { maxRetriesPerRequest: 1 });
    admin.push(replicaClient);
    await waitForSync(replicaClient);
    log(`primary ${primary.url}, replica ${replica.url} in sync`);
    const primaryClient = new Redis(primary.url, { maxRetriesPerRequest: 1 });
    admin.push(primaryClient);
    const raw = await measureRawWait(primaryClient, 2000);

    const results: Record<string, Record<string, TargetFigures>> = {};
    const problems: string[] = [];
    for (const replicas of [0, 1]) {
      const variant = replicas === 0 ? 'without' : 'withReplicaWait';
      results[variant] = {};
      child = await startChild(here('./warden-server.ts'), {
        env: { BENCH_REDIS_URL: primary.url, BENCH_PREFIX: `warden-bench-${variant}`, BENCH_TOKEN: token, BENCH_WAIT_REPLICAS: String(replicas) },
      });
      for (const connections of [1, 20]) {
        log(`${variant}, ${connections} connection(s): ${warmupSeconds} s warm-up, ${durationSeconds} s measured`);
        const measured = await measureTarget({ name: variant, child, token, payloads: createPayloadFactory(), connections, durationSeconds, warmupSeconds });
        problems.push(...measured.problems.map((problem) => `${variant} ${connections}: ${problem}`));
        results[variant][`connections${connections}`] = toFigures(measured);
      }
      await child.stop();
      child = undefined;
    }
    const report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown', node: process.version },
      durationSeconds,
      warmupSeconds,
      option: { waitForReplicas: { replicas: 1, timeoutMs: 500 } },
      raw,
      ...results,
    };
    const table = Object.entries(results).flatMap(([variant, byConnections]) =>
      Object.entries(byConnections).map(([connections, f]) => `${variant.padEnd(16)} ${connections.padEnd(14)} ${String(f.requestsPerSecond).padStart(8)} req/s  p50 ${f.latencyP50Ms} ms  p99 ${f.latencyP99Ms} ms`),
    );
    console.log(`raw SET ${raw.set.p50Ms} ms p50 / ${raw.set.p99Ms} ms p99; SET + WAIT 1 ${raw.setAndWait.p50Ms} ms p50 / ${raw.setAndWait.p99Ms} ms p99`);
    console.log(table.join('\n'));
    if (problems.length > 0) {
      console.error(`\nTHE RUN IS NOT VALID:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
      return 1;
    }
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    return 0;
  } finally {
    await child?.stop().catch(() => {});
    for (const client of admin) client.disconnect();
    for (const server of servers.reverse()) await server.stop();
  }
}

process.exitCode = await main();
