import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { displayPath } from './display-path.js';
import { ConfigError } from './load-config.js';

/** One data file of a folder: its path and its name without `.yaml` (the id it must declare). */
export interface YamlFile {
  file: string;
  base: string;
}

/**
 * The `*.yaml` files directly in `folder`, sorted. A `.yml` file is a problem (appended to
 * `problems`: rename it); an unreadable folder throws a `ConfigError` that says how to restore it.
 */
export function listYamlFiles(folder: string, what: { plural: string; restore: string }, problems: string[]): YamlFile[] {
  let names: string[];
  try {
    names = readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    const shown = displayPath(folder);
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'folder not found' : (error as Error).message;
    throw new ConfigError(`${what.plural} in ${shown}`, [`${shown}: cannot read the ${what.plural}: ${reason}; ${what.restore}`]);
  }
  const files: YamlFile[] = [];
  for (const name of names) {
    if (name.endsWith('.yml')) {
      problems.push(`${displayPath(join(folder, name))}: ${what.plural.replace(/s$/, '')} files end in .yaml; rename it to ${name.slice(0, -4)}.yaml`);
    } else if (name.endsWith('.yaml')) {
      files.push({ file: join(folder, name), base: name.slice(0, -'.yaml'.length) });
    }
  }
  return files;
}
