import { parseArgs } from 'node:util';
import { loadChecklists } from '../checklists/load-checklists.js';
import { resolveItemCheck } from '../checklists/resolve-item-check.js';
import { runItemCheck } from '../checklists/run-item-check.js';
import { listSecrets } from '../config/list-secrets.js';
import { createResultScrubber } from '../observability/create-result-scrubber.js';
import type { CheckContext } from '../probes/check-context.js';
import { createRedisKeys } from '../redis/redis-keys.js';
import { connectRedisOnce } from '../self-audit/connect-redis-once.js';
import { runSelfAudit } from '../self-audit/run-self-audit.js';
import { summarizeSelfAudit } from '../self-audit/summarize-self-audit.js';
import type { CliIo } from './main.js';
import { findCommandRedis, loadCommandConfig } from './load-command-config.js';

/** One item's outcome, as `--json` prints it. */
export interface ChecklistItemOutcome {
  id: string;
  title: string;
  type: 'automated' | 'manual';
  ok?: boolean;
  evidence?: string;
  guidance: string;
  note?: string;
}


/**
 * `warden checklist run <id> [--json]`: runs a checklist's automated checks here, now — on this
 * host, with this configuration, against Redis when it answers — printing each result as it
 * arrives, then the manual items with their guidance. Nothing is stored or posted: it is the
 * operator's view before a deployment or when chat is down. Exit 1 when an automated check fails.
 */
export async function runChecklistRunCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
  const loaded = loadCommandConfig(io, 'read');
  const { config } = loaded;
  const checklists = loadChecklists(undefined, { actions: config.actions, schedules: config.checklists.schedules });
  const [id] = positionals;
  const checklist = id === undefined ? undefined : checklists.get(id);
  if (!checklist || positionals.length > 1) {
    io.stderr(`warden: ${id === undefined ? 'name a checklist' : positionals.length > 1 ? 'name one checklist' : `there is no checklist "${id}"`}: warden checklist run <${[...checklists.keys()].join('|')}> [--json]\n`);
    return 2;
  }

  const connection = await connectRedisOnce(await findCommandRedis(loaded), { connectionName: 'warden-checklist' });
  const context: CheckContext = {
    scrub: createResultScrubber(listSecrets(config)),
    ...(connection.redis ? { redis: connection.redis, auditStreamKey: createRedisKeys(config.redis.prefix).auditStream, auditFile: config.audit.file } : {}),
    async selfAudit() {
      return summarizeSelfAudit(await runSelfAudit({ config, env: io.env, cwd: loaded.cwd, webhookTokenPending: loaded.webhookToken.kind === 'not-generated-yet', redis: connection.redis, redisError: connection.error }));
    },
  };
  const total = checklist.items.length;
  let done = 0;
  if (!values.json) io.stdout(`${checklist.title} (${checklist.id}): ${total} items${connection.error ? ` — Redis not reachable (${connection.error}); its checks fail` : ''}\n`);
  try {
    const outcomes = await Promise.all(
      checklist.items.map(async (item): Promise<ChecklistItemOutcome> => {
        const plan = resolveItemCheck(item, config.actions);
        if (plan.type === 'manual') return { id: item.id, title: item.title, type: 'manual', guidance: item.guidance, ...(plan.note ? { note: plan.note } : {}) };
        const result = await runItemCheck(item.id, item.title, item, config.actions, context);
        done++;
        if (!values.json) io.stdout(`[${done}/${total}] ${result.ok ? 'PASS' : 'FAIL'} ${item.id} — ${item.title}\n        ${result.summary}\n`);
        return { id: item.id, title: item.title, type: 'automated', ok: result.ok, evidence: result.summary, guidance: item.guidance };
      }),
    );
    const failed = outcomes.filter((o) => o.ok === false).length;
    const passed = outcomes.filter((o) => o.ok === true).length;
    const manual = outcomes.filter((o) => o.type === 'manual');
    if (values.json) {
      io.stdout(`${JSON.stringify({ checklist: checklist.id, title: checklist.title, passed, failed, manual: manual.length, items: outcomes })}\n`);
    } else {
      for (const item of manual) {
        done++;
        io.stdout(`[${done}/${total}] TODO ${item.id} — ${item.title} (manual)\n        ${item.guidance}${item.note ? `\n        (${item.note})` : ''}\n`);
      }
      io.stdout(`\n${passed} passed, ${failed} failed, ${manual.length} to check by hand\n`);
    }
    return failed > 0 ? 1 : 0;
  } finally {
    connection.redis?.disconnect();
  }
}
