import { listIdentitiesOf } from '../access/find-person.js';
import type { WarRoomSettings } from '../config/war-room-schema.js';
import { selectEscalationPolicy } from '../escalation/select-escalation-policy.js';
import type { Incident } from '../model/incident.js';
import { resolveTargets } from '../oncall/resolve-targets.js';
import type { WarRoomDeps } from './war-room-deps.js';

/** Whom a war room invites, as identities of its platform, and how they read on the timeline. */
export interface WarRoomInvitees {
  identities: string[];
  description: string;
}

/**
 * The people of an incident's war room on `platform`: whoever asked for it, the acknowledger and
 * the lead (with their identities on that platform, through `access.people`), the settings'
 * `invite` list (rotations, groups, people, identities) and — with `inviteOnCall` — whoever is on
 * call now in the rotations the incident's escalation policy notifies (every rotation when it
 * follows none).
 */
export async function listWarRoomInvitees(deps: Pick<WarRoomDeps, 'config' | 'calendars' | 'now'>, incident: Incident, settings: WarRoomSettings, requestedBy: string, platform: 'slack' | 'lark'): Promise<WarRoomInvitees> {
  const { config } = deps;
  const rotations = Object.keys(config.oncall.rotations);
  const policy = selectEscalationPolicy(config, incident)?.policy;
  const onCall = !settings.inviteOnCall ? [] : policy === undefined ? rotations : [...new Set(policy.steps.flatMap((step) => step.notify))].filter((name) => rotations.includes(name));
  const named = [...new Set([...settings.invite, ...onCall])];
  const resolved = resolveTargets(config, named, deps.now(), (await deps.calendars?.read())?.shifts);
  const roles = [requestedBy, incident.acknowledgedBy, incident.lead].filter((identity): identity is string => identity !== undefined && identity.includes(':'));
  const all = [...roles.flatMap((identity) => listIdentitiesOf(config.access, identity)), ...resolved.identities];
  const identities = [...new Set(all)].filter((identity) => identity.startsWith(`${platform}:`));
  const description = [...new Set(roles), ...(named.length > 0 ? [resolved.description] : [])].join(', ');
  return { identities, description };
}
