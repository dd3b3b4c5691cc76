import { describe, expect, it } from 'vitest';
import { checkAccess } from '../../../src/self-audit/check-access.js';
import { buildConfig, buildContext, findingOf, goodSlack } from '../../support/self-audit-fixtures.js';

const destructive = { kind: 'exec', phase: 'isolate', title: 'Pause', destructive: true, argv: ['/usr/local/bin/queuectl', 'pause'] };
const ALL = ['incident.view', 'incident.respond', 'action.run', 'action.approve', 'checklist.run', 'checklist.tick'];

function audit(access: Record<string, unknown>, actions: Record<string, unknown> = { pause: destructive }) {
  return checkAccess(buildContext({ config: buildConfig({ slack: goodSlack(), access, actions }) }));
}

const GOOD = {
  groups: { operators: ['slack:U0OPS1', 'slack:U0OPS2'], approvers: ['slack:U0LEAD', 'lark:ou_0lead'] },
  permissions: Object.fromEntries(ALL.map((p) => [p, p === 'action.approve' ? ['approvers'] : ['operators', 'approvers']])),
};

describe('checkAccess', () => {
  it('passes groups with members, every permission held, and two approvers', () => {
    const findings = audit(GOOD);
    expect(findings.map((f) => [f.id, f.status])).toEqual([
      ['access-empty-groups', 'pass'],
      ['access-unheld-permissions', 'pass'],
      ['approvers-defined', 'pass'],
      ['approvers-two-or-more', 'pass'],
    ]);
    expect(findingOf(findings, 'approvers-two-or-more').finding).toBe('2 approvers: slack:U0LEAD, lark:ou_0lead');
  });

  it('fails empty groups and permissions nobody holds, saying why for each', () => {
    const findings = audit({
      groups: { operators: ['slack:U0OPS1'], approvers: ['slack:U0LEAD', 'slack:U0LEAD2'], auditors: [], nobody: [] },
      permissions: { 'incident.respond': ['operators'], 'action.approve': ['approvers'], 'checklist.run': [], 'checklist.tick': ['auditors', 'nobody'] },
    });
    expect(findingOf(findings, 'access-empty-groups')).toMatchObject({ status: 'fail', severity: 'low', finding: 'access.groups without members: auditors, nobody' });
    expect(findingOf(findings, 'access-unheld-permissions')).toMatchObject({
      status: 'fail',
      finding: 'nobody holds action.run (not granted), checklist.run (granted to no group), checklist.tick (granted only to empty groups (auditors, nobody))',
    });
  });

  it('counts incident.view as held by the holders of incident.respond when unset', () => {
    const permissions = Object.fromEntries(ALL.filter((p) => p !== 'incident.view').map((p) => [p, ['operators']]));
    expect(findingOf(audit({ groups: { operators: ['slack:U0OPS1'] }, permissions }), 'access-unheld-permissions').status).toBe('pass');
  });

  it('fails, high, destructive actions nobody may approve', () => {
    const findings = audit({ groups: { approvers: [] }, permissions: { 'action.approve': ['approvers'] } });
    expect(findingOf(findings, 'approvers-defined')).toMatchObject({
      status: 'fail',
      severity: 'high',
      finding: 'nobody holds action.approve: the destructive actions: pause can never run',
    });
    expect(findingOf(findings, 'approvers-two-or-more').status).toBe('skip');
  });

  it('fails, high, a single approver: their own requests can never be approved', () => {
    const findings = audit({ ...GOOD, groups: { ...GOOD.groups, approvers: ['slack:U0LEAD'] } });
    expect(findingOf(findings, 'approvers-defined').status).toBe('pass');
    expect(findingOf(findings, 'approvers-two-or-more')).toMatchObject({
      status: 'fail',
      severity: 'high',
      finding: 'slack:U0LEAD is the only approver (counting people, not identities): a destructive action they request can never be approved',
    });
  });

  it('counts people, not identities: one lead on Slack and Lark is a single approver', () => {
    const findings = audit({ ...GOOD, people: { lead: ['slack:U0LEAD', 'lark:ou_0lead'] } });
    expect(findingOf(findings, 'approvers-defined').finding).toBe('1 person holds action.approve (destructive actions: pause)');
    expect(findingOf(findings, 'approvers-two-or-more')).toMatchObject({ status: 'fail', finding: expect.stringMatching(/^lead is the only approver/) });
    const two = audit({ people: { lead: ['slack:U0LEAD', 'lark:ou_0lead'], deputy: ['slack:U0DEP'] }, groups: { approvers: ['lead', 'deputy'] }, permissions: { 'action.approve': ['approvers'] } });
    expect(findingOf(two, 'approvers-two-or-more')).toMatchObject({ status: 'pass', finding: '2 approvers: lead, deputy' });
  });

  it('counts one identity in two approving groups once', () => {
    const findings = audit({ groups: { a: ['slack:U0LEAD'], b: ['slack:U0LEAD'] }, permissions: { 'action.approve': ['a', 'b'] } });
    expect(findingOf(findings, 'approvers-two-or-more').status).toBe('fail');
  });

  it('skips the approver checks without destructive actions, and everything without a chat integration', () => {
    const findings = audit({ groups: { approvers: [] }, permissions: {} }, {});
    expect(findingOf(findings, 'approvers-defined')).toMatchObject({ status: 'skip', finding: 'no destructive actions are configured' });
    const noChat = checkAccess(buildContext({ config: buildConfig({ access: { groups: { empty: [] } } }) }));
    expect(noChat.map((f) => f.status)).toEqual(['skip', 'skip', 'skip', 'skip']);
    expect(noChat[0]!.finding).toBe('no Slack or Lark integration and nobody at the terminal (console:…) in access.people: nobody can send commands or press buttons');
  });

  it('checks the access of the people at the terminal when there is no chat integration', () => {
    const access = { people: { responder: ['console:responder'], lead: ['console:lead'] }, groups: {}, permissions: { 'action.approve': ['responder', 'lead'] } };
    const findings = checkAccess(buildContext({ config: buildConfig({ access, actions: { cut: { kind: 'exec', phase: 'isolate', title: 'Cut', destructive: true, argv: ['/bin/true'] } } }) }));
    expect(findingOf(findings, 'approvers-two-or-more')).toMatchObject({ status: 'pass', finding: '2 approvers: responder, lead' });
  });
});
