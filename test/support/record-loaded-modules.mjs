// Preloaded with `node --import` into a process under test: appends to $WARDEN_LOADED_MODULES the URL of
// every module the ESM loader resolves, and at exit the path of every CommonJS module in the require
// cache (CommonJS modules required by other CommonJS modules never pass the ESM resolve hook).
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const file = process.env.WARDEN_LOADED_MODULES;
let target = file;

/** Loader hook: runs on the loader's thread with the data given to `register`. */
export function initialize(data) {
  target = data.file;
}

/** Loader hook: records what each specifier resolved to. */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(target, `${resolved.url}\n`);
  return resolved;
}

if (isMainThread && file) {
  register(import.meta.url, { data: { file } });
  const require = createRequire(import.meta.url);
  process.on('exit', () => appendFileSync(file, Object.keys(require.cache).map((path) => `${path}\n`).join('')));
}
