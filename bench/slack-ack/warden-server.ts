import { serveChild } from '../intake/serve-child.js';
import { requireBenchEnv, startBenchWarden } from '../intake/start-bench-warden.js';

/**
 * Warden's web role with Slack enabled, configured as in production: the clicking user is an
 * operator, so every click is verified, deduplicated, authorized and queued as an `inbound` job
 * (no workers run, so the queue just grows and Slack's Web API is never called).
 */
await serveChild(() =>
  startBenchWarden({
    alertmanager: { token: 'b'.repeat(40) },
    slack: { signingSecret: requireBenchEnv('BENCH_SIGNING_SECRET'), botToken: 'xoxb-bench-not-used', apiUrl: 'http://127.0.0.1:9/api/' },
    access: { groups: { operators: ['slack:U0BENCH'] }, permissions: { 'incident.respond': ['operators'] } },
  }),
);
