import { DEFAULT_PLAYBOOK } from './load-playbooks.js';
import type { Playbook } from './playbook-schema.js';

/**
 * The playbook an incident follows: the one named by its route or alert label `playbook`, or
 * `default` when there is no such file (an alert may name any playbook). Undefined only for a map
 * without `default`, which `loadPlaybooks` never returns.
 */
export function selectPlaybook(playbooks: ReadonlyMap<string, Playbook>, name: string | undefined): Playbook | undefined {
  return (name === undefined ? undefined : playbooks.get(name)) ?? playbooks.get(DEFAULT_PLAYBOOK);
}
