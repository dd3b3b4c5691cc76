import type { Config, Permission } from '../config/config-schema.js';
import { findPerson } from './find-person.js';

/**
 * True when `identity` — or the person it belongs to (`access.people`) — is named by a group that
 * `access.permissions[permission]` lists, or is a person that list names directly. Deny by default:
 * an unlisted permission, an unknown group or an identity in no group is denied. `incident.view`,
 * when not configured, is held by whoever holds `incident.respond`.
 */
export function checkPermission(access: Config['access'], identity: string, permission: Permission): boolean {
  // Identities always have a platform; a bare name must not pass for the person or group it names.
  if (!identity.includes(':')) return false;
  const configured = access.permissions[permission];
  const holders = configured ?? (permission === 'incident.view' ? access.permissions['incident.respond'] : undefined) ?? [];
  const found = findPerson(access, identity);
  // Only a person named in access.people may match a name; an identity matches itself.
  const person = found === identity ? undefined : found;
  return holders.some((holder) => holder === person || access.groups[holder]?.some((member) => member === identity || member === person) === true);
}
