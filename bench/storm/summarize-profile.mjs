// Summarises a V8 CPU profile (`--cpu-prof`): self time by package or source folder, and the
// functions with the most self time; with `--window <s>`, also how busy the thread was in each
// window of that many seconds and which areas took the time.
// Usage: node bench/storm/summarize-profile.mjs <file.cpuprofile> [top] [--window <s>]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const windowAt = args.indexOf('--window');
const windowSeconds = windowAt < 0 ? undefined : Number(args.splice(windowAt, 2)[1]);
const [file, top = '25'] = args;
if (!file || (windowSeconds !== undefined && !(windowSeconds > 0))) {
  console.error('usage: node bench/storm/summarize-profile.mjs <file.cpuprofile> [top] [--window <seconds>]');
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

if (windowSeconds !== undefined) {
  // Samples in time order: each sample's time delta is the time since the one before it.
  const windows = new Map();
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i] ?? 0;
    at += us;
    const index = Math.floor(at / (windowSeconds * 1e6));
    const byArea = windows.get(index) ?? new Map();
    const area = areaOf(byId.get(profile.samples[i]).callFrame);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
    windows.set(index, byArea);
  }
  const lines = [...windows].sort((a, b) => a[0] - b[0]).map(([index, byArea]) => {
    const all = [...byArea.values()].reduce((a, b) => a + b, 0);
    const busy = 100 - (100 * (byArea.get('(idle)') ?? 0)) / all;
    const leaders = [...byArea].filter(([area]) => area !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, 6).map(([area, us]) => `${area} ${((100 * us) / all).toFixed(0)}%`);
    return `${String(index * windowSeconds).padStart(5)}–${index * windowSeconds + windowSeconds} s  busy ${busy.toFixed(0).padStart(3)}%  ${leaders.join(', ')}`;
  });
  console.log(`\nby window of ${windowSeconds} s\n${lines.join('\n')}`);
}
