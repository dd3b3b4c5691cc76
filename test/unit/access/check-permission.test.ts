import { describe, expect, it } from 'vitest';
import { checkOrigin } from '../../../src/access/check-origin.js';
import { translate } from '../../../src/shared/messages/translate.js';
import { checkPermission } from '../../../src/access/check-permission.js';
import { configSchema } from '../../../src/config/config-schema.js';
import { buildTestConfig } from '../../support/start-test-warden.js';

const base = { alertmanager: { token: 'x'.repeat(32) } };

describe('checkPermission', () => {
  const { access } = buildTestConfig({
    ...base,
    access: {
      groups: { operators: ['slack:U0OPS1', 'lark:ou_ops'], approvers: ['slack:U0LEAD'], empty: [] },
      permissions: { 'incident.respond': ['operators', 'approvers'], 'action.approve': ['approvers'], 'checklist.tick': ['empty'] },
    },
  });

  it('allows members of a listed group', () => {
    expect(checkPermission(access, 'slack:U0OPS1', 'incident.respond')).toBe(true);
    expect(checkPermission(access, 'lark:ou_ops', 'incident.respond')).toBe(true);
    expect(checkPermission(access, 'slack:U0LEAD', 'action.approve')).toBe(true);
  });

  it('denies by default: unknown identities, unlisted permissions, empty groups, look-alikes', () => {
    expect(checkPermission(access, 'slack:U0OPS1', 'action.approve')).toBe(false);
    expect(checkPermission(access, 'slack:U0NOBODY', 'incident.respond')).toBe(false);
    expect(checkPermission(access, 'slack:U0OPS1', 'checklist.run')).toBe(false);
    expect(checkPermission(access, 'slack:U0OPS1', 'checklist.tick')).toBe(false);
    expect(checkPermission(access, 'slack:u0ops1', 'incident.respond')).toBe(false);
    expect(checkPermission(access, 'lark:U0OPS1', 'incident.respond')).toBe(false);
    expect(checkPermission(access, 'operators', 'incident.respond')).toBe(false);
  });

  it('gives incident.view to the holders of incident.respond unless configured', () => {
    expect(checkPermission(access, 'slack:U0OPS1', 'incident.view')).toBe(true);
    expect(checkPermission(access, 'slack:U0NOBODY', 'incident.view')).toBe(false);
    const own = buildTestConfig({ ...base, access: { groups: { viewers: ['slack:U0VIEW'], operators: ['slack:U0OPS1'] }, permissions: { 'incident.view': ['viewers'], 'incident.respond': ['operators'] } } }).access;
    expect(checkPermission(own, 'slack:U0VIEW', 'incident.view')).toBe(true);
    expect(checkPermission(own, 'slack:U0OPS1', 'incident.view')).toBe(false);
  });

  it('grants through people: a group or a permission may name a person, who holds it on every platform', () => {
    const { access: withPeople } = buildTestConfig({
      ...base,
      access: {
        people: { alice: ['slack:U0ALICE', 'lark:ou_alice'], bob: ['slack:U0BOB'] },
        groups: { operators: ['alice', 'slack:U0OPS9'] },
        permissions: { 'incident.respond': ['operators'], 'action.approve': ['bob'] },
      },
    });
    expect(checkPermission(withPeople, 'lark:ou_alice', 'incident.respond')).toBe(true);
    expect(checkPermission(withPeople, 'slack:U0ALICE', 'incident.respond')).toBe(true);
    expect(checkPermission(withPeople, 'slack:U0OPS9', 'incident.respond')).toBe(true);
    expect(checkPermission(withPeople, 'slack:U0BOB', 'action.approve')).toBe(true);
    expect(checkPermission(withPeople, 'slack:U0ALICE', 'action.approve')).toBe(false);
    expect(checkPermission(withPeople, 'alice', 'incident.respond')).toBe(false);
  });

  it('refuses people that clash with groups, identities of two people and unknown names', () => {
    const problems = (access: Record<string, unknown>) => {
      const parsed = configSchema.safeParse({ ...base, access });
      return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    };
    expect(problems({ people: { ops: ['slack:U0A'] }, groups: { ops: ['ops'] } })).toEqual(['access.people.ops: is also the name of a group; rename one of them so permissions are not ambiguous']);
    expect(problems({ people: { a: ['slack:U0A'], b: ['slack:U0A'] } })).toEqual(['access.people.b.0: slack:U0A already belongs to a; an identity is one person\'s']);
    expect(problems({ groups: { ops: ['carol'] } })).toEqual([
      'access.groups.ops.0: names the person "carol", whom access.people does not define; add them there or write an identity (slack:U…, lark:ou_…)',
    ]);
  });

  it('denies everything with no access configuration', () => {
    const none = buildTestConfig(base).access;
    for (const permission of ['incident.view', 'incident.respond', 'action.run'] as const) expect(checkPermission(none, 'slack:U0OPS1', permission)).toBe(false);
  });
});

describe('checkOrigin', () => {
  const pinned = buildTestConfig({
    ...base,
    slack: { signingSecret: 's'.repeat(32), botToken: 'xoxb-1', appId: 'A0APP', teamId: 'T0TEAM' },
    lark: { appId: 'cli_app', appSecret: 'secret', encryptKey: 'key', verificationToken: 'token', tenantKey: 'tenant1' },
  });
  const open = buildTestConfig({ ...base, slack: { signingSecret: 's'.repeat(32), botToken: 'xoxb-1' } });

  it('accepts the configured app and workspace or tenant', () => {
    expect(checkOrigin(pinned, { platform: 'slack', appId: 'A0APP', tenant: 'T0TEAM' })).toBeUndefined();
    expect(checkOrigin(pinned, { platform: 'lark', appId: 'cli_app', tenant: 'tenant1' })).toBeUndefined();
    expect(checkOrigin(open, { platform: 'slack', appId: 'A0ANY', tenant: 'T0ANY' })).toBeUndefined();
  });

  it('refuses other apps, workspaces, tenants and platforms that are not enabled', () => {
    const reason = (config: typeof pinned, event: Parameters<typeof checkOrigin>[1]) => {
      const key = checkOrigin(config, event);
      return key === undefined ? undefined : translate('en', key);
    };
    expect(reason(pinned, { platform: 'slack', appId: 'A0OTHER', tenant: 'T0TEAM' })).toMatch(/another Slack app/);
    expect(reason(pinned, { platform: 'slack', appId: 'A0APP', tenant: 'T0OTHER' })).toMatch(/another Slack workspace/);
    expect(reason(pinned, { platform: 'lark', appId: 'cli_other', tenant: 'tenant1' })).toMatch(/another Lark app/);
    expect(reason(pinned, { platform: 'lark', appId: 'cli_app', tenant: 'tenant2' })).toMatch(/another Lark tenant/);
    expect(reason(open, { platform: 'lark', appId: 'cli_app', tenant: 'tenant1' })).toMatch(/Lark is not enabled/);
  });
});
