import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/load-config.js';
import { planEscalation } from '../../../src/escalation/plan-escalation.js';
import { selectEscalationPolicy } from '../../../src/escalation/select-escalation-policy.js';
import { resolveTargets } from '../../../src/oncall/resolve-targets.js';
import { createConfigFileLoader } from '../../support/create-config-file-loader.js';
import { randomSecret } from '../../support/test-redis.js';

const env = { WARDEN_WEBHOOK_TOKEN: randomSecret(40) };
const HEAD = 'alertmanager:\n  token: ${WARDEN_WEBHOOK_TOKEN}\n';
const loadFile = createConfigFileLoader(env, 'warden-escalation-config-');
const load = (yaml: string) => loadFile(HEAD + yaml);

function problems(yaml: string): string[] {
  try {
    load(yaml);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

const GOOD = `
routes:
  - match: { team: db }
    to: ["slack:C0DB"]
    escalation: urgent
  - to: ["slack:C0SEC", "lark:oc_0sec"]
access:
  people:
    alice: ["slack:U0ALICE", "lark:ou_0alice"]
    bob: ["slack:U0BOB"]
  groups:
    leads: [alice, "slack:U0LEAD"]
oncall:
  rotations:
    primary: { people: [alice, bob], timezone: Europe/Berlin, start: "2026-03-02", handoff: "09:00", length: 1w }
escalation:
  policies:
    default:
      steps:
        - { afterMinutes: 5, notify: [primary], repeat: { everyMinutes: 5, times: 3 } }
        - { afterMinutes: 15, notify: [leads, "lark:ou_0boss"] }
    urgent:
      steps:
        - { afterMinutes: 0, notify: [primary] }
  bySeverity: { critical: urgent }
  default: default
`;

describe('escalation and oncall configuration', () => {
  it('accepts policies, rotations and routes that name them', () => {
    const config = load(GOOD);
    expect(config.escalation.policies.default!.steps[0]!.buzz).toBe(true);
    expect(config.oncall.rotations.primary!.length).toBe('1w');
  });

  it('names the key and the fix for unknown targets, policies, people and clashing names', () => {
    const found = problems(`
routes:
  - to: ["slack:C0SEC"]
    escalation: missing
access:
  people: { alice: ["slack:U0ALICE"] }
  groups: { primary: [alice] }
oncall:
  rotations:
    primary: { people: [alice, zoe], start: "2026-03-02", overrides: [{ from: "2026-03-05T09:00", to: "2026-03-04T09:00", person: alice }] }
escalation:
  policies:
    default:
      steps:
        - { afterMinutes: 10, notify: [nobody] }
  bySeverity: { critical: nope }
`).join('\n');
    expect(found).toMatch(/routes\[0\]\.escalation.*names the policy "missing"/);
    expect(found).toMatch(/oncall\.rotations\.primary.*also the name of a group/);
    expect(found).toMatch(/oncall\.rotations\.primary\.people\[1\].*"zoe"/);
    expect(found).toMatch(/overrides\[0\]\.to.*later than from/);
    expect(found).toMatch(/steps\[0\]\.notify\[0\].*"nobody"/);
    expect(found).toMatch(/bySeverity\.critical.*"nope"/);
  });

  it('refuses steps out of order', () => {
    const found = problems(`
escalation:
  policies:
    default:
      steps:
        - { afterMinutes: 10, notify: ["slack:U0A"] }
        - { afterMinutes: 5, notify: ["slack:U0B"] }
`).join('\n');
    expect(found).toMatch(/steps\[1\]\.afterMinutes.*later than the step before/);
  });

  it('refuses bad lengths, handoffs, time zones and dates with what to write', () => {
    const found = problems(`
oncall:
  rotations:
    a: { people: ["slack:U0A"], start: "2026-02-30", handoff: "9am", length: 2m, timezone: Mars/Olympus }
`).join('\n');
    expect(found).toMatch(/start.*calendar date/);
    expect(found).toMatch(/handoff.*24-hour time/);
    expect(found).toMatch(/length.*"12h", "1d" or "1w"/);
    expect(found).toMatch(/timezone.*IANA time zone/);
  });
});

describe('planEscalation and selectEscalationPolicy', () => {
  const config = load(GOOD);

  it('repeats a step until the next step takes over', () => {
    expect(planEscalation(config.escalation.policies.default!).map((p) => [p.step, p.repeat, p.afterMinutes])).toEqual([
      [0, 0, 5],
      [0, 1, 10],
      [1, 0, 15],
    ]);
  });

  it("chooses the route's policy, else by severity, else the default", () => {
    const incident = (labels: Record<string, string>, severity: string) => ({ commonLabels: labels, groupLabels: {}, severity });
    expect(selectEscalationPolicy(config, incident({ team: 'db' }, 'info'))).toMatchObject({ name: 'urgent' });
    expect(selectEscalationPolicy(config, incident({}, 'critical'))).toMatchObject({ name: 'urgent' });
    expect(selectEscalationPolicy(config, incident({}, 'warning'))).toMatchObject({ name: 'default' });
  });
});

describe('resolveTargets', () => {
  const config = load(GOOD);

  it('turns a rotation into whoever is on call, a group into its members, a person into their identities', () => {
    const week2 = Date.parse('2026-03-10T12:00:00Z');
    const resolved = resolveTargets(config, ['primary', 'leads', 'lark:ou_0boss'], week2);
    expect(resolved.targets.map((t) => t.kind)).toEqual(['rotation', 'group', 'identity']);
    expect(resolved.identities).toEqual(['slack:U0BOB', 'slack:U0ALICE', 'lark:ou_0alice', 'slack:U0LEAD', 'lark:ou_0boss']);
    expect(resolved.description).toBe('bob (on call for primary), leads (alice, slack:U0LEAD), lark:ou_0boss');
    expect(resolveTargets(config, ['ghost'], week2).targets[0]!.kind).toBe('unknown');
  });
});
