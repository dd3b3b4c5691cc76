// Summarises a V8 CPU profile (`--cpu-prof`): self time by package or source folder, and the
// functions with the most self time. Usage: node bench/storm/summarize-profile.mjs <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';

const [file, top = '25'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/storm/summarize-profile.mjs <file.cpuprofile> [top]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

/** `node_modules/<package>`, `src/<folder>`, `node:internal`, or the special V8 nodes ((garbage collector), (idle), (program)). */
function areaOf(frame) {
  const url = frame.url ?? '';
  if (!url) return frame.functionName || '(anonymous)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/(src|cards|bench)\/([^/]+)/.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  if (url.startsWith('node:')) return 'node:internal';
  return url;
}

const areas = new Map();
const functions = new Map();
for (const [id, us] of selfUs) {
  const frame = byId.get(id).callFrame;
  const area = areaOf(frame);
  areas.set(area, (areas.get(area) ?? 0) + us);
  const name = `${frame.functionName || '(anonymous)'} ${frame.url ? `${frame.url.replace(/^.*\/(node_modules|src|cards)\//, '$1/')}:${frame.lineNumber + 1}` : ''}`;
  functions.set(name, (functions.get(name) ?? 0) + us);
}
const show = (map) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(top))
    .map(([name, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`)
    .join('\n');
console.log(`${(total / 1e6).toFixed(1)} s sampled\n\nself time by area\n${show(areas)}\n\nself time by function\n${show(functions)}`);
