import { isChatIdentity, type Config } from '../config/config-schema.js';
import { findOnCall } from './find-on-call.js';
import type { CalendarShift } from './read-rotation-calendar.js';
import { textRef, translateParam, type TextParam } from '../shared/messages/text-ref.js';
import { translator, type Translator } from '../shared/messages/translator.js';

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
  /** How the targets read on the timeline, in English: `bob (on call for primary), leads (alice, carol)`. */
  description: string;
  /** Each target as it reads: a catalogue message (`bob (on call for primary)`) or its name; see {@link describeTargets}. */
  parts: TextParam[];
}

/** Targets' `parts` as `t` writes them, one after the other: `bob (on call for primary), leads (alice, carol)`. */
export function describeTargets(t: Translator, parts: readonly TextParam[]): string {
  return parts.map((part) => translateParam(t, part)).join(', ');
}

/**
 * Turns target names into people and identities at instant `at`: a rotation (oncall.rotations)
 * becomes whoever is on call then, a group (access.groups) its members, a person (access.people)
 * their identities; an identity stands for itself. A name none of them define reaches nobody
 * (kind `unknown`); configuration loading refuses such names in policies. `calendars` holds the
 * rotations' calendar shifts (see `createRotationCalendars`).
 */
export function resolveTargets(config: Pick<Config, 'access' | 'oncall'>, names: readonly string[], at: number, calendars?: ReadonlyMap<string, readonly CalendarShift[]>): ResolvedTargets {
  // Only chat identities can be mentioned or messaged: a person's console identities (email:, sso:) are left out.
  const identitiesOf = (member: string): string[] => (member === '' ? [] : member.includes(':') ? [member] : [...(config.access.people[member] ?? [])]).filter(isChatIdentity);
  const targets = names.map((name): ResolvedTarget => {
    const rotation = config.oncall.rotations[name];
    if (rotation !== undefined) {
      const person = findOnCall(rotation, at, calendars?.get(name)).now.person;
      return { name, kind: 'rotation', people: person === '' ? [] : [person], identities: identitiesOf(person) };
    }
    const group = config.access.groups[name];
    if (group !== undefined) return { name, kind: 'group', people: [...group], identities: group.flatMap(identitiesOf) };
    if (name.includes(':')) return { name, kind: 'identity', people: [name], identities: identitiesOf(name) };
    if (name in config.access.people) return { name, kind: 'person', people: [name], identities: identitiesOf(name) };
    return { name, kind: 'unknown', people: [], identities: [] };
  });
  const parts = targets.map(describeTarget);
  return { targets, identities: [...new Set(targets.flatMap((t) => t.identities))], description: describeTargets(translator('en'), parts), parts };
}

function describeTarget(target: ResolvedTarget): TextParam {
  switch (target.kind) {
    case 'rotation':
      return target.people[0] === undefined ? textRef('oncall.target.rotationNobody', { rotation: target.name }) : textRef('oncall.target.rotation', { person: target.people[0], rotation: target.name });
    case 'group':
      return target.people.length === 0 ? textRef('oncall.target.groupNobody', { group: target.name }) : textRef('oncall.target.group', { group: target.name, people: target.people.join(', ') });
    case 'unknown':
      return textRef('oncall.target.unknown', { name: target.name });
    default:
      return target.name;
  }
}
