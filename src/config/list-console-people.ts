import type { Config } from './config-schema.js';

/** The people of `access.people` who have a `console:` identity, in the order written, each with it: who may type at Warden's terminal. */
export function listConsolePeople(config: Pick<Config, 'access'>): Array<readonly [name: string, identity: string]> {
  return Object.entries(config.access.people).flatMap(([name, identities]) => {
    const identity = identities.find((id) => id.startsWith('console:'));
    return identity ? [[name, identity] as const] : [];
  });
}
