import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, type Config } from '../../src/config/config-schema.js';
import { resolveSelfAuditContext, type SelfAuditContext } from '../../src/self-audit/self-audit-context.js';
import type { SelfAuditFinding, SelfAuditInput } from '../../src/self-audit/self-audit-finding.js';
import { randomSecret } from './test-redis.js';

/** A configuration from `tree` (the webhook token is added), validated like a loaded one. */
export function buildConfig(tree: Record<string, unknown> = {}): Config {
  return configSchema.parse({ alertmanager: { token: randomSecret(40) }, ...tree });
}

/** A Slack block that passes every check. */
export function goodSlack(): Record<string, string> {
  return { signingSecret: randomSecret(32), botToken: `xoxb-${randomSecret(24)}` };
}

/** The audit context of `input`: no config file, an empty environment and uid 1000 unless given. */
export function buildContext(input: Partial<SelfAuditInput> = {}): SelfAuditContext {
  return resolveSelfAuditContext({ config: buildConfig(), env: {}, configPath: null, getuid: () => 1000, ...input });
}

/** The finding with `id`; fails the test when there is none or more than one. */
export function findingOf(findings: SelfAuditFinding[], id: string): SelfAuditFinding {
  const matching = findings.filter((f) => f.id === id);
  if (matching.length !== 1) throw new Error(`expected one finding "${id}", got ${matching.length}: ${findings.map((f) => f.id).join(', ')}`);
  return matching[0]!;
}

/** Makes every directory under `dir` writable again, so a test that tightened one can still be cleaned up without root. */
function unlockDirs(dir: string): void {
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) unlockDirs(join(dir, entry.name));
}

/** A fresh temporary directory and its removal. */
export function makeTempDir(name: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `warden-${name}-`));
  return {
    dir,
    remove: () => {
      unlockDirs(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
