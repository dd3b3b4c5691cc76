import { checkAccess } from './check-access.js';
import { checkActions } from './check-actions.js';
import { checkConfigLiterals } from './check-config-literals.js';
import { checkFiles } from './check-files.js';
import { checkLogging } from './check-logging.js';
import { checkNetwork } from './check-network.js';
import { checkProcess } from './check-process.js';
import { checkRedis } from './check-redis.js';
import { checkSecrets } from './check-secrets.js';
import { resolveSelfAuditContext, type SelfAuditContext } from './self-audit-context.js';
import type { SelfAuditFinding, SelfAuditInput, SelfAuditReport } from './self-audit-finding.js';
import { summarizeFindings } from './summarize-findings.js';

export type { SelfAuditFinding, SelfAuditInput, SelfAuditReport } from './self-audit-finding.js';

type CheckGroup = (context: SelfAuditContext) => SelfAuditFinding[] | Promise<SelfAuditFinding[]>;

/** Every group of checks, in report order. A new group is added here, and only here. */
const CHECK_GROUPS: readonly CheckGroup[] = [
  checkProcess,
  checkFiles,
  checkSecrets,
  checkConfigLiterals,
  checkNetwork,
  checkRedis,
  checkAccess,
  checkActions,
  checkLogging,
];

/**
 * `warden audit`: checks the deployment the way a security scanner would — process uid, file
 * modes, secrets, listen address and outbound URLs, Redis, access control, exec programs and log
 * redaction — and returns one finding per check. Reads only: nothing is changed (see `fixFileModes`).
 */
export async function runSelfAudit(input: SelfAuditInput): Promise<SelfAuditReport> {
  const context = resolveSelfAuditContext(input);
  const groups = await Promise.all(CHECK_GROUPS.map((group) => group(context)));
  return summarizeFindings(groups.flat());
}
