import { isWardenError } from '../errors/warden-error.js';
import { runAuditLogVerifyCommand } from './audit-log-verify-command.js';
import { runChecklistRunCommand } from './checklist-run-command.js';
import { runConfigCheckCommand } from './config-check-command.js';
import { runSelfAuditCommand } from './self-audit-command.js';
import { runServeCommand } from './serve-command.js';

/** Where a command reads its environment and writes its output; injectable for tests. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Directory relative paths (`./data`, `./warden.config.yaml`) are resolved against. Defaults to `process.cwd()`. */
  cwd?: string;
  /**
   * Whether stdout is a terminal a person reads; default `process.stdout.isTTY`. There logs are
   * readable lines instead of JSON, and, when stdin is a terminal too, `warden serve` lets the
   * person act on the console's cards.
   */
  tty?: boolean;
}

type Command = (args: string[], io: CliIo) => Promise<number>;

/** Every CLI command, by its words. */
const COMMANDS: Record<string, Command> = {
  serve: runServeCommand,
  'config check': runConfigCheckCommand,
  'audit-log verify': runAuditLogVerifyCommand,
  audit: runSelfAuditCommand,
  'checklist run': runChecklistRunCommand,
};

const USAGE = `Usage: warden <command>

  serve [--role all|web|worker]   run Warden (web + workers by default)
  config check                    validate the configuration and exit
  audit [--json] [--fix]          self-audit of the deployment (exit 1 when a check fails; --fix tightens file modes)
  checklist run <id> [--json]     run a checklist's automated checks here and print the results
                                  (exit 1 when a check fails)
  audit-log verify [--file <path>] [--checkpoint <seq>:<hash>]... [--offline] [--json]
                                  check the audit log's hash chain against Redis and checkpoints
                                  (exit 1 when a check fails, 3 when Redis did not answer;
                                  --offline checks the file alone)
`;

/** Runs the CLI and returns its exit code: 0 success, 1 failure, 2 usage error (`audit-log verify` adds 3: not verified). */
export async function runCli(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const twoWords = argv.slice(0, 2).join(' ');
  const [name, rest] = COMMANDS[twoWords] ? [twoWords, argv.slice(2)] : [argv[0] ?? '', argv.slice(1)];
  if (name === 'help' || name === '--help' || name === '-h') {
    io.stdout(USAGE);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(name ? `warden: unknown command "${name}"\n${USAGE}` : USAGE);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    // Configuration and start-up problems are for people: print the message, not a stack.
    if (isWardenError(error)) {
      io.stderr(`warden: ${error.message}\n`);
      return 1;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`warden: ${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

function defaultIo(): CliIo {
  return { env: process.env, stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };
}
