import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './load-config.js';

/**
 * The nearest folder above this file with a package.json: the Warden package, from `src/` and from
 * `dist/src/`. Data shipped with Warden (`checklists/`) is read from there, whatever the working directory.
 */
export function findPackageRoot(): string {
  let at = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(at, 'package.json'))) return at;
    const up = dirname(at);
    if (up === at) throw new ConfigError('checklists', ['cannot find the Warden package folder (package.json) to read checklists/ from']);
    at = up;
  }
}
