import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { phaseNames } from '../config/action-schema.js';
import type { RouteConfig } from '../config/config-schema.js';
import { displayPath as display } from '../config/display-path.js';
import { findPackageRoot } from '../config/find-package-root.js';
import { freezeMap } from '../config/freeze-map.js';
import { listYamlFiles } from '../config/list-yaml-files.js';
import { ConfigError } from '../config/load-config.js';
import { loadYamlFile, type YamlProblem as Problem } from '../config/load-yaml-file.js';
import { findDuplicateStepIds, PLAYBOOK_ID_PATTERN, playbookSchema, type Playbook } from './playbook-schema.js';

/** What playbooks are checked against. */
export interface LoadPlaybooksOptions {
  /** The configuration's actions: a step's `action` must name one of them. */
  actions: Readonly<Record<string, unknown>>;
  /** When given, every `routes[].playbook` must name a playbook file. */
  routes?: readonly Pick<RouteConfig, 'playbook'>[];
}

/** The playbook every incident without a route or alert label `playbook` follows. */
export const DEFAULT_PLAYBOOK = 'default';

/**
 * Loads and validates every `*.yaml` playbook in `dir` (default: `checklists/playbooks` of the
 * Warden package, found from this file whether it runs from `src/` or `dist/src/`). Each problem
 * is reported as `<file>:<line>: <key path>: what is wrong and how to fix it`: schema errors,
 * an `id` that is not the file name, steps bound to an action the configuration does not define,
 * a missing `default` playbook. Throws a `config_invalid` {@link ConfigError} listing them all;
 * returns the playbooks by id, frozen (the map refuses changes too).
 */
export function loadPlaybooks(dir: string | URL | undefined, options: LoadPlaybooksOptions): ReadonlyMap<string, Playbook> {
  const folder = dir === undefined ? join(findPackageRoot(), 'checklists', 'playbooks') : dir instanceof URL ? fileURLToPath(dir) : resolve(dir);
  const shown = display(folder);
  const problems: string[] = [];
  const playbooks = new Map<string, Playbook>();
  const files = new Set<string>();

  for (const { file, base } of listYamlFiles(folder, { plural: 'playbooks', restore: 'restore checklists/playbooks with at least default.yaml' }, problems)) {
    files.add(base);
    const playbook = loadFile(file, base, options.actions, problems);
    if (playbook) playbooks.set(base, playbook);
  }
  if (!files.has(DEFAULT_PLAYBOOK)) {
    problems.push(
      `${display(join(folder, `${DEFAULT_PLAYBOOK}.yaml`))}: missing; incidents whose route and alerts name no playbook follow "default", so add default.yaml (id: default) with at least one step`,
    );
  }
  for (const [i, route] of (options.routes ?? []).entries()) {
    if (route.playbook !== undefined && !files.has(route.playbook)) {
      problems.push(`configuration: routes[${i}].playbook: names the playbook "${route.playbook}", but ${shown} has no ${route.playbook}.yaml; add it or fix the name`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`playbooks in ${shown}`, problems);
  return freezeMap(playbooks, 'playbooks');
}

function loadFile(file: string, base: string, actions: Readonly<Record<string, unknown>>, problems: string[]): Playbook | undefined {
  return loadYamlFile(
    file,
    {
      schema: playbookSchema,
      check: (tree) => checkAgainstFile(tree, base, actions),
      emptyMessage: 'the file is empty; a playbook needs id, title and phases',
      unknownKey: (path) => (path.length === 1 && path[0] === 'phases' ? 'unknown phase; phases are isolate, analyze, recover and optimize' : 'unknown key; remove it or check its spelling'),
    },
    problems,
  );
}

/** Checks the schema cannot make: the id is the file name, and bound actions exist. Runs on the raw tree so every problem shows at once. */
function checkAgainstFile(tree: unknown, base: string, actions: Readonly<Record<string, unknown>>): Problem[] {
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) return [];
  const found: Problem[] = [];
  const { id, phases } = tree as Record<string, unknown>;
  if (typeof id === 'string' && id !== base) {
    const fix = PLAYBOOK_ID_PATTERN.test(base) ? `set id: ${base} or rename the file to ${id}.yaml` : `rename the file to ${id}.yaml`;
    found.push({ path: ['id'], message: `"${id}" must equal the file name without .yaml ("${base}"); ${fix}` });
  }
  if (typeof phases !== 'object' || phases === null) return found;
  found.push(...findDuplicateStepIds(phases));
  for (const phase of phaseNames) {
    const steps = (phases as Record<string, unknown>)[phase];
    if (!Array.isArray(steps)) continue;
    steps.forEach((step: unknown, i) => {
      const action = typeof step === 'object' && step !== null ? (step as Record<string, unknown>).action : undefined;
      if (typeof action === 'string' && PLAYBOOK_ID_PATTERN.test(action) && !Object.hasOwn(actions, action)) {
        found.push({
          path: ['phases', phase, i, 'action'],
          message: `names the action "${action}", which the configuration's actions do not define; add it to actions or remove action from the step`,
        });
      }
    });
  }
  return found;
}
