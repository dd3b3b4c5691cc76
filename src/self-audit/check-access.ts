import { listConsolePeople } from '../config/list-console-people.js';
import { listPermissionHolders, listPermissionPeople } from '../access/list-permission-holders.js';
import { permissionNames, type Config, type Permission } from '../config/config-schema.js';
import type { SelfAuditContext } from './self-audit-context.js';
import type { SelfAuditCheck, SelfAuditFinding } from './self-audit-finding.js';
import { toFinding } from './to-finding.js';

const EMPTY_GROUPS: SelfAuditCheck = {
  id: 'access-empty-groups',
  title: 'Every access group has members',
  severity: 'low',
  fix: 'add identities (slack:U…, lark:ou_…) to the group in access.groups, or remove the group and its mentions in access.permissions',
};
const UNHELD: SelfAuditCheck = {
  id: 'access-unheld-permissions',
  title: 'Every permission is held by someone',
  severity: 'low',
  fix: 'grant the permission to a group with members in access.permissions (e.g. checklist.run: [operators])',
};
const APPROVERS: SelfAuditCheck = {
  id: 'approvers-defined',
  title: 'Someone may approve destructive actions',
  severity: 'high',
  fix: 'grant action.approve to a group with at least two members: access.permissions["action.approve"]: [approvers]',
};
const SECOND_APPROVER: SelfAuditCheck = {
  id: 'approvers-two-or-more',
  title: 'At least two people may approve destructive actions',
  severity: 'high',
  fix: 'add a second identity to a group that holds action.approve: nobody may approve their own request',
};

/** Every identity that holds `permission`, by the same rule the access check applies. */
function checkEmptyGroups(access: Config['access']): SelfAuditFinding {
  const groups = Object.entries(access.groups);
  const empty = groups.filter(([, members]) => members.length === 0).map(([name]) => name);
  return empty.length > 0
    ? toFinding(EMPTY_GROUPS, 'fail', `access.groups without members: ${empty.join(', ')}`)
    : toFinding(EMPTY_GROUPS, 'pass', `${groups.length} group(s), each with members`);
}

function checkUnheld(config: Config): SelfAuditFinding {
  const { access } = config;
  // console.view matters only when the web console is on.
  const needed = permissionNames.filter((permission) => permission !== 'console.view' || config.console.enabled);
  const unheld = needed.filter((permission) => listPermissionHolders(access, permission).length === 0);
  if (unheld.length === 0) return toFinding(UNHELD, 'pass', `each of ${needed.join(', ')} is held by someone`);
  const why = (permission: Permission) => {
    const groups = access.permissions[permission];
    return groups === undefined ? 'not granted' : groups.length === 0 ? 'granted to no group' : `granted only to empty groups (${groups.join(', ')})`;
  };
  return toFinding(UNHELD, 'fail', `nobody holds ${unheld.map((p) => `${p} (${why(p)})`).join(', ')}`);
}

function checkApprovers(config: Config): SelfAuditFinding[] {
  const destructive = Object.entries(config.actions).filter(([, action]) => action.destructive).map(([id]) => id);
  if (destructive.length === 0) {
    const reason = 'no destructive actions are configured';
    return [toFinding(APPROVERS, 'skip', reason), toFinding(SECOND_APPROVER, 'skip', reason)];
  }
  // People, not identities: one person on two platforms is still a single approver.
  const approvers = listPermissionPeople(config.access, 'action.approve');
  const actions = `destructive actions: ${destructive.join(', ')}`;
  if (approvers.length === 0) {
    const reason = 'nobody holds action.approve';
    return [toFinding(APPROVERS, 'fail', `${reason}: the ${actions} can never run`), toFinding(SECOND_APPROVER, 'skip', reason)];
  }
  return [
    toFinding(APPROVERS, 'pass', `${approvers.length} ${approvers.length === 1 ? 'person holds' : 'people hold'} action.approve (${actions})`),
    approvers.length === 1
      ? toFinding(SECOND_APPROVER, 'fail', `${approvers[0]} is the only approver (counting people, not identities): a destructive action they request can never be approved`)
      : toFinding(SECOND_APPROVER, 'pass', `${approvers.length} approvers: ${approvers.join(', ')}`),
  ];
}

/** Access-control checks: empty groups, permissions nobody holds, and approvers for destructive actions. */
export function checkAccess(context: SelfAuditContext): SelfAuditFinding[] {
  const { config } = context;
  // The console's people (`console:` identities) act at Warden's own terminal: their access counts too.
  if (!config.slack && !config.lark && listConsolePeople(config).length === 0) {
    const reason = 'no Slack or Lark integration and nobody at the terminal (console:…) in access.people: nobody can send commands or press buttons';
    return [EMPTY_GROUPS, UNHELD, APPROVERS, SECOND_APPROVER].map((check) => toFinding(check, 'skip', reason));
  }
  return [checkEmptyGroups(config.access), checkUnheld(config), ...checkApprovers(config)];
}
