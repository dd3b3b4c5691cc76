import type { Config, Permission } from '../config/config-schema.js';
import { checkPermission } from './check-permission.js';
import { findPerson } from './find-person.js';

/** Every identity the configuration names, directly or through a person, in the order it names them. */
function listKnownIdentities(access: Config['access']): string[] {
  const identities = new Set<string>();
  for (const members of Object.values(access.groups)) {
    for (const member of members) {
      if (member.includes(':')) identities.add(member);
      else for (const identity of access.people[member] ?? []) identities.add(identity);
    }
  }
  for (const person of Object.values(access.permissions).flat()) for (const identity of access.people[person ?? ''] ?? []) identities.add(identity);
  return [...identities];
}

/** Every identity that holds `permission` (by the same rule as {@link checkPermission}), in the configuration's order. */
export function listPermissionHolders(access: Config['access'], permission: Permission): string[] {
  return listKnownIdentities(access).filter((identity) => checkPermission(access, identity, permission));
}

/**
 * The people who hold `permission`: a person's name for identities `access.people` groups, the
 * identity itself otherwise. Two identities of one person count once.
 */
export function listPermissionPeople(access: Config['access'], permission: Permission): string[] {
  return [...new Set(listPermissionHolders(access, permission).map((identity) => findPerson(access, identity)))];
}
