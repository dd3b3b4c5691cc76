import type { Config } from '../config/config-schema.js';
import { findOnCall } from './find-on-call.js';
import type { CalendarShift } from './read-rotation-calendar.js';

/** One name a page or an escalation step was given, and whom it reached. */
export interface ResolvedTarget {
  /** As written: a rotation, a group, a person or an identity. */
  name: string;
  kind: 'rotation' | 'group' | 'person' | 'identity' | 'unknown';
  /** The people (names in access.people, or identities) it stands for now. */
  people: string[];
  /** Their identities (`slack:U…`, `lark:ou_…`). */
  identities: string[];
}

/** Every target, and their identities once each. */
export interface ResolvedTargets {
  targets: ResolvedTarget[];
  identities: string[];
  /** How the targets read on a card or the timeline: `bob (on call for primary), leads (alice, carol)`. */
  description: string;
}

/**
 * Turns target names into people and identities at instant `at`: a rotation (oncall.rotations)
 * becomes whoever is on call then, a group (access.groups) its members, a person (access.people)
 * their identities; an identity stands for itself. A name none of them define reaches nobody
 * (kind `unknown`); configuration loading refuses such names in policies. `calendars` holds the
 * rotations' calendar shifts (see `createRotationCalendars`).
 */
export function resolveTargets(config: Pick<Config, 'access' | 'oncall'>, names: readonly string[], at: number, calendars?: ReadonlyMap<string, readonly CalendarShift[]>): ResolvedTargets {
  const identitiesOf = (member: string): string[] => (member === '' ? [] : member.includes(':') ? [member] : [...(config.access.people[member] ?? [])]);
  const targets = names.map((name): ResolvedTarget => {
    const rotation = config.oncall.rotations[name];
    if (rotation !== undefined) {
      const person = findOnCall(rotation, at, calendars?.get(name)).now.person;
      return { name, kind: 'rotation', people: person === '' ? [] : [person], identities: identitiesOf(person) };
    }
    const group = config.access.groups[name];
    if (group !== undefined) return { name, kind: 'group', people: [...group], identities: group.flatMap(identitiesOf) };
    if (name.includes(':')) return { name, kind: 'identity', people: [name], identities: [name] };
    if (name in config.access.people) return { name, kind: 'person', people: [name], identities: identitiesOf(name) };
    return { name, kind: 'unknown', people: [], identities: [] };
  });
  return { targets, identities: [...new Set(targets.flatMap((t) => t.identities))], description: targets.map(describeTarget).join(', ') };
}

function describeTarget(target: ResolvedTarget): string {
  switch (target.kind) {
    case 'rotation':
      return `${target.people[0] ?? 'nobody'} (on call for ${target.name})`;
    case 'group':
      return `${target.name} (${target.people.join(', ') || 'nobody'})`;
    case 'unknown':
      return `${target.name} (unknown)`;
    default:
      return target.name;
  }
}
