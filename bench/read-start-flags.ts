import { readFileSync } from 'node:fs';

/**
 * The Node.js flags `npm start` gives Warden (those between `node` and `bin/warden.js` in
 * package.json's `start` script), so that a benchmark runs Warden as `npm start` does.
 */
export function readStartFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  const match = /^node\s+(.*?)\s*bin\/warden\.js\b/.exec(pkg.scripts.start);
  if (!match) throw new Error(`package.json's start script is not "node [flags] bin/warden.js …": ${pkg.scripts.start}`);
  return match[1]!.split(/\s+/).filter((flag) => flag.length > 0);
}
