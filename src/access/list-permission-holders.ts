import type { Config, Permission } from '../config/config-schema.js';
import { checkPermission } from './check-permission.js';

/** Every identity that holds `permission` (by the same rule as {@link checkPermission}), in the order `access.groups` lists them. */
export function listPermissionHolders(access: Config['access'], permission: Permission): string[] {
  const identities = new Set(Object.values(access.groups).flat());
  return [...identities].filter((identity) => checkPermission(access, identity, permission));
}
