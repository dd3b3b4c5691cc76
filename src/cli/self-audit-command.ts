import { parseArgs } from 'node:util';
import { ConfigError } from '../config/load-config.js';
import { connectRedisOnce } from '../self-audit/connect-redis-once.js';
import { fixFileModes, type FileModeFix } from '../self-audit/fix-file-modes.js';
import { formatMode } from '../probes/describe-mode-bits.js';
import { formatSelfAuditReport } from '../self-audit/format-self-audit-report.js';
import { reportConfigError } from '../self-audit/report-config-error.js';
import { runSelfAudit, type SelfAuditReport } from '../self-audit/run-self-audit.js';
import type { CliIo } from './main.js';
import { findCommandRedis, loadCommandConfig, type CommandConfig } from './load-command-config.js';

/** {@link CliIo} plus what the audit looks at of the process itself; tests pass these through `runCli`. */
export interface SelfAuditIo extends CliIo {
  /** Defaults to `process.getuid`. */
  getuid?: () => number;
  /** Directory relative paths are resolved against. Defaults to `process.cwd()`. */
  cwd?: string;
}

async function audit(loaded: CommandConfig, io: SelfAuditIo, cwd: string): Promise<SelfAuditReport> {
  const { config } = loaded;
  const connection = await connectRedisOnce(await findCommandRedis(loaded), { connectionName: 'warden-audit' });
  try {
    return await runSelfAudit({ config, env: io.env, cwd, webhookTokenPending: loaded.webhookToken.kind === 'not-generated-yet', redis: connection.redis, redisError: connection.error, getuid: io.getuid });
  } finally {
    connection.redis?.disconnect();
  }
}

function formatFixes(fixes: FileModeFix[]): string {
  const lines = fixes.flatMap((fix) => {
    if (fix.outcome === 'tightened') return [`  ${fix.label} ${fix.path}: ${formatMode(fix.before!)} -> ${formatMode(fix.after!)}`];
    if (fix.outcome === 'failed') return [`  ${fix.label} ${fix.path}: not changed: ${fix.error}`];
    return [];
  });
  return lines.length > 0 ? `File modes:\n${lines.join('\n')}\n\n` : 'File modes: nothing to tighten\n\n';
}

/**
 * `warden audit [--json] [--fix]`: audits the deployment (see `runSelfAudit`) and prints a table,
 * or one JSON object `{findings, total, passed, failed, skipped}`. `--fix` first tightens file
 * modes (never loosens them) and reports what it changed. Exits 1 when a check fails, else 0.
 */
export async function runSelfAuditCommand(args: string[], io: SelfAuditIo): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false }, fix: { type: 'boolean', default: false } }, strict: true });
  const cwd = io.cwd ?? process.cwd();
  let loaded: CommandConfig;
  try {
    // As `warden serve` loads it, without creating anything: the generated token is only read.
    loaded = loadCommandConfig({ ...io, cwd }, 'read');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const report = reportConfigError(error);
    io.stdout(values.json ? `${JSON.stringify(report)}\n` : formatSelfAuditReport(report));
    return 1;
  }

  const fixes = values.fix ? fixFileModes({ config: loaded.config, env: io.env, cwd }) : undefined;
  const report = await audit(loaded, io, cwd);
  if (values.json) {
    const mode = (bits: number | undefined) => (bits === undefined ? undefined : formatMode(bits));
    const fixed = fixes?.map((fix) => ({ ...fix, before: mode(fix.before), after: mode(fix.after) }));
    io.stdout(`${JSON.stringify({ ...report, fixes: fixed })}\n`);
  } else {
    io.stdout(`${fixes ? formatFixes(fixes) : ''}${formatSelfAuditReport(report)}`);
  }
  return report.failed > 0 ? 1 : 0;
}
