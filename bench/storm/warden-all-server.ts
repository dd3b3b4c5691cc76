import { serveChild } from '../intake/serve-child.js';
import { requireBenchEnv, startBenchWarden } from '../intake/start-bench-warden.js';

/**
 * Warden as `npm start` runs it — role `all`: the HTTP server and every queue's workers in one
 * process, with the uncaught-error guard `warden serve` installs — configured as in production with
 * Slack: one route to `slack:<BENCH_CHANNEL>`, Slack's Web API at `BENCH_SLACK_API_URL` (the fake
 * API on loopback), the signing secret set, the outbound budget `BENCH_SLACK_PER_SECOND` messages a
 * second per channel and the storm limit `BENCH_STORM_PER_MINUTE` new cards a minute. The clicking
 * user of `slack-ack/click-factory.ts` is an operator. The audit log's file goes to `BENCH_DATA_DIR`.
 */
await serveChild(() =>
  startBenchWarden(
    {
      alertmanager: { token: requireBenchEnv('BENCH_TOKEN') },
      slack: { signingSecret: requireBenchEnv('BENCH_SIGNING_SECRET'), botToken: requireBenchEnv('BENCH_BOT_TOKEN'), apiUrl: requireBenchEnv('BENCH_SLACK_API_URL') },
      routes: [{ to: [`slack:${requireBenchEnv('BENCH_CHANNEL')}`] }],
      access: { groups: { operators: ['slack:U0BENCH'] }, permissions: { 'incident.respond': ['operators'] } },
      audit: { file: `${requireBenchEnv('BENCH_DATA_DIR')}/audit.jsonl` },
      limits: {
        outbound: { slackPerChannelPerSecond: Number(requireBenchEnv('BENCH_SLACK_PER_SECOND')) },
        storm: { newIncidentsPerMinute: Number(requireBenchEnv('BENCH_STORM_PER_MINUTE')) },
      },
    },
    'all',
  ),
);
