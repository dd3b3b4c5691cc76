import { parseLocatedYaml } from '../config/parse-located-yaml.js';
import type { SelfAuditContext } from './self-audit-context.js';
import type { SelfAuditCheck, SelfAuditFinding } from './self-audit-finding.js';
import { listUrlSecrets } from '../config/list-url-secrets.js';
import { listSecretFields, type SecretField } from './list-secret-fields.js';
import { toFinding } from './to-finding.js';

const LITERAL_SECRETS: SelfAuditCheck = {
  id: 'config-literal-secrets',
  title: 'The config file holds no secret, only ${ENV} references',
  severity: 'critical',
  fix: 'replace each value with a reference such as ${SLACK_SIGNING_SECRET}, export the variable instead, and rotate the secret: it has been on disk',
};

const REFERENCE = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/;
const WHOLE_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/** True when the raw YAML value has a secret written out rather than referenced. */
function isLiteral(field: SecretField): boolean {
  if (typeof field.value !== 'string') return field.kind !== 'url';
  if (field.kind === 'value') return !WHOLE_REFERENCE.test(field.value);
  // "Bearer ${FIREWALL_TOKEN}" is a reference; "Bearer 0123…" is not.
  if (field.kind === 'header') return !REFERENCE.test(field.value);
  // A password is listed as written too, where "${NAME}" reads "$%7BNAME%7D".
  return listUrlSecrets(field.value).some((credential) => !REFERENCE.test(decode(credential)));
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Scans the config file's raw YAML for secrets written literally (loading refuses most of them; the audit says so anyway). */
export function checkConfigLiterals(context: SelfAuditContext): SelfAuditFinding[] {
  const source = context.configText;
  if (source === undefined) return [toFinding(LITERAL_SECRETS, 'skip', 'no config file: the configuration comes from the environment')];
  if ('error' in source) return [toFinding(LITERAL_SECRETS, 'skip', `cannot read the config file: ${source.error}`)];
  const parsed = parseLocatedYaml(source.text);
  if (!parsed.ok) return [toFinding(LITERAL_SECRETS, 'skip', `the config file is not valid YAML (line ${parsed.line ?? '?'}): ${parsed.message}`)];

  const literal = listSecretFields(parsed.tree).filter(isLiteral);
  const where = context.configPath ?? 'the config text';
  if (literal.length === 0) return [toFinding(LITERAL_SECRETS, 'pass', `${where}: every secret key is a \${ENV} reference`)];
  const keys = literal.map((field) => {
    const line = parsed.lineOf(field.path);
    return `${field.key}${line === undefined ? '' : ` (line ${line})`}`;
  });
  return [toFinding(LITERAL_SECRETS, 'fail', `${where} has secrets written literally at ${keys.join(', ')}`)];
}
