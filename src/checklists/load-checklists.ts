import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isProbeAction } from '../probes/run-probe.js';
import type { Config } from '../config/config-schema.js';
import { displayPath } from '../config/display-path.js';
import { findPackageRoot } from '../config/find-package-root.js';
import { freezeMap } from '../config/freeze-map.js';
import { listYamlFiles } from '../config/list-yaml-files.js';
import { ConfigError } from '../config/load-config.js';
import { loadYamlFile, type YamlProblem } from '../config/load-yaml-file.js';
import { checkCardFits } from './check-card-fits.js';
import { CHECKLIST_ID_PATTERN, checklistSchema, findDuplicateItemIds, REQUIRED_CHECKLISTS, type Checklist } from './checklist-schema.js';

/** What checklists are checked against. */
export interface LoadChecklistsOptions {
  /** The configuration's actions: an item's `check.action`, when configured, must be a probe. */
  actions: Config['actions'];
  /** The configuration's schedules: each must name a checklist file. */
  schedules?: Config['checklists']['schedules'];
}

/**
 * Loads and validates every `*.yaml` checklist directly in `dir` (default: `checklists/` of the
 * Warden package). Each problem is reported as `<file>:<line>: <key path>: what is wrong and how to
 * fix it`; the four standard checklists must exist, and every schedule must name a checklist.
 * Throws a `config_invalid` {@link ConfigError} listing them all; returns the checklists by id, frozen.
 */
export function loadChecklists(dir: string | URL | undefined, options: LoadChecklistsOptions): ReadonlyMap<string, Checklist> {
  const folder = dir === undefined ? join(findPackageRoot(), 'checklists') : dir instanceof URL ? fileURLToPath(dir) : resolve(dir);
  const shown = displayPath(folder);
  const problems: string[] = [];
  const checklists = new Map<string, Checklist>();
  const files = new Set<string>();

  const restore = 'restore checklists/ with daily, weekly, monthly and predeploy.yaml';
  for (const { file, base } of listYamlFiles(folder, { plural: 'checklists', restore }, problems)) {
    files.add(base);
    const checklist = loadYamlFile(
      file,
      { schema: checklistSchema, check: (tree) => checkAgainstFile(tree, base, options.actions), emptyMessage: 'the file is empty; a checklist needs id, title, dueWithinHours and items' },
      problems,
    );
    if (!checklist) continue;
    const tooLarge = checkCardFits(checklist);
    if (tooLarge) problems.push(`${displayPath(file)}: ${tooLarge}`);
    else checklists.set(base, checklist);
  }
  for (const id of REQUIRED_CHECKLISTS) {
    if (!files.has(id)) problems.push(`${displayPath(join(folder, `${id}.yaml`))}: missing; restore it (id: ${id}) — /audit ${id} and its schedule need it`);
  }
  for (const id of Object.keys(options.schedules ?? {})) {
    if (!files.has(id)) {
      problems.push(`configuration: checklists.schedules.${id}: names the checklist "${id}", but ${shown} has no ${id}.yaml; use one of ${[...files].join(', ')} or add the file`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`checklists in ${shown}`, problems);
  return freezeMap(checklists, 'checklists');
}

/** Rules the schema cannot state: the id is the file name; a configured action named by a check is a probe. */
function checkAgainstFile(tree: unknown, base: string, actions: Config['actions']): YamlProblem[] {
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) return [];
  const found: YamlProblem[] = [];
  const { id, items } = tree as Record<string, unknown>;
  if (typeof id === 'string' && id !== base) {
    const fix = CHECKLIST_ID_PATTERN.test(base) ? `set id: ${base} or rename the file to ${id}.yaml` : `rename the file to ${id}.yaml`;
    found.push({ path: ['id'], message: `"${id}" must equal the file name without .yaml ("${base}"); ${fix}` });
  }
  if (!Array.isArray(items)) return found;
  found.push(...findDuplicateItemIds(items));
  items.forEach((item: unknown, i) => {
    const check = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).check : undefined;
    const action = typeof check === 'object' && check !== null ? (check as Record<string, unknown>).action : undefined;
    if (typeof action !== 'string' || !Object.hasOwn(actions, action)) return;
    const configured = actions[action]!;
    if (!isProbeAction(configured)) {
      found.push({
        path: ['items', i, 'check', 'action'],
        message: `names the action "${action}" (kind ${configured.kind}), which changes things; a check may only use a probe (http-check, prometheus, tls-expiry, disk-usage …)`,
      });
    }
  });
  return found;
}
