import type { ConfigError } from '../config/load-config.js';
import type { SelfAuditCheck, SelfAuditReport } from './self-audit-finding.js';
import { summarizeFindings } from './summarize-findings.js';
import { toFinding } from './to-finding.js';

const CONFIG_VALID: SelfAuditCheck = {
  id: 'config-valid',
  title: 'The configuration loads',
  severity: 'high',
  fix: 'run `warden config check` and fix each problem it lists; nothing else can be audited until the configuration loads',
};

/** The report of an audit that could not start because the configuration does not load: that one failure. */
export function reportConfigError(error: ConfigError): SelfAuditReport {
  return summarizeFindings([toFinding(CONFIG_VALID, 'fail', error.message.replace(/\n\s*/g, ' '))]);
}
