import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { startWardenProcess, type WardenProcessSetup } from './start-warden-process.js';

const USAGE = `npm run bench:memory -- [options]

Starts \`warden serve\` as \`npm start\` does (compiled, role all) in three configurations, one
process at a time, each with a unique Redis prefix: the default (console only); the default with every
platform SDK loaded up front, as Warden did before it loaded them on demand; Slack and Lark configured
(their APIs on a loopback server that must never be called). For each it records the RSS once the
process is running, then, after an idle period, RSS and heap after two full garbage collections.

  --idle <s>      idle seconds before the settled reading (default 10)
  --runs <n>      rounds of the three processes; medians are reported (default 3)
  --redis <url>   Redis to use (default $REDIS_URL or redis://127.0.0.1:6379)
  --no-build      use dist/ as it is instead of compiling first
  --out <file>    results file (default bench/results/memory.json)
  --help          this text`;

/** Target: idle RSS of the default process under 120 MB. */
const TARGET = { idleRssMb: 120 } as const;

const CASES = ['default', 'defaultEagerSdks', 'slackAndLark'] as const;
type CaseName = (typeof CASES)[number];

const log = (line: string) => process.stderr.write(`${line}\n`);
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const round = (value: number) => Math.round(value * 100) / 100;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : round((sorted[middle - 1]! + sorted[middle]!) / 2);
};

const { values } = parseArgs({
  options: {
    idle: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    redis: { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const idleSeconds = Number(values.idle);
const runs = Number(values.runs);
const out = values.out ?? fileURLToPath(new URL('../results/memory.json', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

if (!values['no-build']) {
  log('compiling to dist/ (npm run build)');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', process.stderr, 'inherit'] });
}

// Slack's and Lark's APIs: a loopback server that counts calls; Warden idle must make none.
let platformCalls = 0;
const platformApi = createServer((request, response) => {
  platformCalls += 1;
  response.writeHead(503).end();
});
await new Promise<void>((resolve) => platformApi.listen(0, '127.0.0.1', resolve));
const apiUrl = `http://127.0.0.1:${(platformApi.address() as AddressInfo).port}`;

const secret = () => randomBytes(24).toString('hex');
const platformEnv = {
  SLACK_SIGNING_SECRET: secret(),
  SLACK_BOT_TOKEN: `xoxb-${secret()}`,
  LARK_APP_ID: 'cli_a1b2c3d4e5f60718',
  LARK_APP_SECRET: secret(),
  LARK_ENCRYPT_KEY: secret(),
  LARK_VERIFICATION_TOKEN: secret(),
};
const platformConfig = [
  `slack: { signingSecret: "\${SLACK_SIGNING_SECRET}", botToken: "\${SLACK_BOT_TOKEN}", apiUrl: "${apiUrl}/api/" }`,
  `lark: { appId: "\${LARK_APP_ID}", appSecret: "\${LARK_APP_SECRET}", encryptKey: "\${LARK_ENCRYPT_KEY}", verificationToken: "\${LARK_VERIFICATION_TOKEN}", domain: "${apiUrl}" }`,
];

function setupOf(name: CaseName, prefix: string): WardenProcessSetup {
  const config = ['server: { port: 0 }', `redis: { url: "${values.redis}", prefix: ${prefix} }`, 'alertmanager: { token: "${WARDEN_WEBHOOK_TOKEN}" }'];
  const env = { WARDEN_WEBHOOK_TOKEN: secret(), LOG_LEVEL: 'info' };
  if (name === 'slackAndLark') return { config: [...config, ...platformConfig], env: { ...env, ...platformEnv } };
  return { config, env, eagerSdks: name === 'defaultEagerSdks' };
}

interface Reading {
  startupRssMb: number;
  idleRssMb: number;
  idleHeapUsedMb: number;
  idleHeapTotalMb: number;
  idleExternalMb: number;
}

const redis = new Redis(values.redis, { maxRetriesPerRequest: 3 });
const readings: Record<CaseName, Reading[]> = { default: [], defaultEagerSdks: [], slackAndLark: [] };
const problems: string[] = [];
try {
  for (let run = 1; run <= runs; run += 1) {
    for (const name of CASES) {
      const prefix = `warden-bench-memory-${randomBytes(6).toString('hex')}`;
      log(`run ${run}/${runs}: ${name} — starting, then ${idleSeconds} s idle`);
      const warden = await startWardenProcess(setupOf(name, prefix));
      try {
        await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
        const usage = await warden.readMemory();
        readings[name].push({
          startupRssMb: mb(warden.startupRssBytes ?? Number.NaN),
          idleRssMb: mb(usage.rss),
          idleHeapUsedMb: mb(usage.heapUsed),
          idleHeapTotalMb: mb(usage.heapTotal),
          idleExternalMb: mb(usage.external),
        });
      } finally {
        const code = await warden.stop();
        if (code !== 0) problems.push(`${name} (run ${run}) exited with ${code}`);
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length > 0) await redis.del(...keys);
      }
    }
  }
} finally {
  redis.disconnect();
  platformApi.close();
}
if (platformCalls > 0) problems.push(`the idle processes called the Slack or Lark API ${platformCalls} times`);

const summarize = (list: Reading[]) => ({
  startupRssMb: median(list.map((r) => r.startupRssMb)),
  idleRssMb: median(list.map((r) => r.idleRssMb)),
  idleHeapUsedMb: median(list.map((r) => r.idleHeapUsedMb)),
  idleHeapTotalMb: median(list.map((r) => r.idleHeapTotalMb)),
  idleExternalMb: median(list.map((r) => r.idleExternalMb)),
  runs: list,
});
const cases = Object.fromEntries(CASES.map((name) => [name, summarize(readings[name])])) as Record<CaseName, ReturnType<typeof summarize>>;
const report = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryMb: mb(totalmem()), node: process.version },
  idleSeconds,
  runs,
  cases,
  // The default process ÷ the same with every SDK loaded up front (below 1 is the saving), and ÷ with Slack and Lark configured.
  ratios: Object.fromEntries(
    (['startupRssMb', 'idleRssMb', 'idleHeapUsedMb'] as const).map((figure) => [
      figure,
      { defaultToEagerSdks: round(cases.default[figure] / cases.defaultEagerSdks[figure]), defaultToSlackAndLark: round(cases.default[figure] / cases.slackAndLark[figure]) },
    ]),
  ) as Record<'startupRssMb' | 'idleRssMb' | 'idleHeapUsedMb', { defaultToEagerSdks: number; defaultToSlackAndLark: number }>,
  target: TARGET,
  meetsTarget: cases.default.idleRssMb < TARGET.idleRssMb,
};

const label: Record<CaseName, string> = { default: 'default (console only)', defaultEagerSdks: 'default, SDKs loaded up front', slackAndLark: 'Slack and Lark configured' };
const table = [
  'configuration                   startup RSS   idle RSS   heap used   heap total   external  (MB, medians)',
  ...CASES.map((name) => {
    const c = cases[name];
    return `${label[name].padEnd(30)} ${String(c.startupRssMb).padStart(12)} ${String(c.idleRssMb).padStart(10)} ${String(c.idleHeapUsedMb).padStart(11)} ${String(c.idleHeapTotalMb).padStart(12)} ${String(c.idleExternalMb).padStart(10)}`;
  }),
];
process.stdout.write(`memory benchmark — warden serve (npm start), ${runs} runs, ${idleSeconds} s idle\n${table.join('\n')}\n`);
if (problems.length > 0) {
  process.stdout.write(`the run was not clean, no results written:\n- ${problems.join('\n- ')}\n`);
  process.exit(1);
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(
  `default idle RSS ${cases.default.idleRssMb} MB (target < ${TARGET.idleRssMb} MB): ${report.meetsTarget ? 'TARGET MET' : 'TARGET MISSED'}; ` +
    `${report.ratios.idleRssMb.defaultToEagerSdks}× the same process with the SDKs loaded up front (startup RSS ${report.ratios.startupRssMb.defaultToEagerSdks}×, heap used ${report.ratios.idleHeapUsedMb.defaultToEagerSdks}×), ` +
    `${report.ratios.idleRssMb.defaultToSlackAndLark}× with Slack and Lark configured\nwritten to ${out}\n`,
);
