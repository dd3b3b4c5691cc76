import type { Config } from '../config/config-schema.js';

/**
 * The person `identity` belongs to (`access.people`), or the identity itself when no person lists
 * it: whatever this returns stands for one human, whichever platform they use.
 */
export function findPerson(access: Pick<Config['access'], 'people'>, identity: string): string {
  for (const [person, identities] of Object.entries(access.people)) {
    if (identities.includes(identity)) return person;
  }
  return identity;
}

/** Every identity of the person behind `identity` (`identity` alone when no person lists it). */
export function listIdentitiesOf(access: Pick<Config['access'], 'people'>, identity: string): string[] {
  const person = findPerson(access, identity);
  return person === identity ? [identity] : [...(access.people[person] ?? [])];
}
