import type { Config, Permission } from '../config/config-schema.js';

/**
 * True when `identity` belongs to a group that `access.permissions[permission]` lists. Deny by
 * default: an unlisted permission, an unknown group or an identity in no group is denied.
 * `incident.view`, when not configured, is held by whoever holds `incident.respond`.
 */
export function checkPermission(access: Config['access'], identity: string, permission: Permission): boolean {
  const configured = access.permissions[permission];
  const groups = configured ?? (permission === 'incident.view' ? access.permissions['incident.respond'] : undefined) ?? [];
  return groups.some((group) => access.groups[group]?.includes(identity) === true);
}
