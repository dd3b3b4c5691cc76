import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';

/**
 * Loads YAML texts through `loadConfig` as config files of a temporary folder (removed after the
 * test file), each a new file, with `env` or the environment given per call. `dir` is the folder,
 * for tests that put files of their own beside the config.
 */
export function createConfigFileLoader(env: Record<string, string | undefined>, folderPrefix = 'warden-config-') {
  const dir = mkdtempSync(join(tmpdir(), folderPrefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let files = 0;
  const load = (yaml: string, withEnv: Record<string, string | undefined> = env) => {
    const file = `config-${++files}.yaml`;
    writeFileSync(join(dir, file), yaml);
    return loadConfig({ env: withEnv, file, cwd: dir });
  };
  return Object.assign(load, { dir });
}
