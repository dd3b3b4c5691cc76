import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The direction of the house (docs/architecture.md): each folder sits in one layer and imports only
 * from lower layers; folders of one layer never import each other. A new folder must be placed here.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['src/errors', 'src/shared'],
  ['src/config'],
  ['src/model', 'src/redis'],
  ['cards'],
  ['src/ports'],
  ['src/observability', 'src/templates'],
  ['src/audit', 'src/access', 'src/oncall'],
  ['src/probes'],
  ['src/actions', 'src/incidents'],
  ['src/approvals', 'src/playbooks', 'src/checklists', 'src/escalation'],
  ['src/response', 'src/silences', 'src/war-rooms'],
  ['commands'],
  ['src/inbound'],
  ['src/chat', 'src/jobs', 'src/self-audit'],
  ['src/web-console'],
  ['src/http'],
  ['src/app'],
  ['src/cli'],
];

const ROOT = resolve(import.meta.dirname, '../../..');
const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

interface Edge {
  file: string;
  target: string;
  typeOnly: boolean;
}

function listSourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listSourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every import and re-export of the source tree: relative ones resolved to repository paths, packages as they are written. */
function readImports(): Edge[] {
  return ['src', 'cards', 'commands'].flatMap(listSourceFiles).flatMap((file) =>
    [...readFileSync(join(ROOT, file), 'utf8').matchAll(IMPORT)].map((match) => {
      const specifier = match[3] ?? match[4]!;
      const target = specifier.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), specifier)).replace(/\.js$/, '.ts') : specifier;
      return { file, target, typeOnly: match[2] !== undefined };
    }),
  );
}

/** `src/<folder>` for files under src/, else the top folder (`cards`, `commands`). */
function folderOf(path: string): string {
  const parts = path.split('/');
  return parts[0] === 'src' ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

const edges = readImports();
const local = edges.filter((edge) => edge.target.startsWith('src/') || edge.target.startsWith('cards/') || edge.target.startsWith('commands/'));
const layerOf = new Map(LAYERS.flatMap((folders, layer) => folders.map((folder) => [folder, layer] as const)));

describe('import rules', () => {
  it('reads the source tree (the rules below have something to hold)', () => {
    expect(local.length).toBeGreaterThan(500);
    expect(new Set(local.map((edge) => folderOf(edge.file))).size).toBeGreaterThan(20);
  });

  it('places every folder in a layer', () => {
    const unplaced = [...new Set(edges.map((edge) => folderOf(edge.file)))].filter((folder) => !layerOf.has(folder));
    expect(unplaced, 'add the folder to LAYERS and to docs/architecture.md').toEqual([]);
  });

  it('imports only downwards: no folder imports a folder of its own layer or above, so no two folders import each other', () => {
    const upward = local
      .filter((edge) => folderOf(edge.file) !== folderOf(edge.target))
      .filter((edge) => (layerOf.get(folderOf(edge.target)) ?? Infinity) >= (layerOf.get(folderOf(edge.file)) ?? -1))
      .map((edge) => `${edge.file} → ${edge.target}`);
    expect(upward).toEqual([]);
  });

  it('keeps src/errors and src/shared leaves, and src/config a leaf above them', () => {
    const allowed: Record<string, readonly string[]> = { 'src/errors': [], 'src/shared': [], 'src/config': ['src/errors', 'src/shared'] };
    const broken = local
      .filter((edge) => folderOf(edge.file) in allowed && folderOf(edge.target) !== folderOf(edge.file))
      .filter((edge) => !allowed[folderOf(edge.file)]!.includes(folderOf(edge.target)))
      .map((edge) => `${edge.file} → ${edge.target}`);
    expect(broken).toEqual([]);
  });

  it('lets cards depend only on their own model, the neutral model and the shared helpers', () => {
    const broken = local
      .filter((edge) => folderOf(edge.file) === 'cards' && folderOf(edge.target) !== 'cards')
      .filter((edge) => !['src/model', 'src/shared', 'src/errors'].includes(folderOf(edge.target)))
      .map((edge) => `${edge.file} → ${edge.target}`);
    expect(broken).toEqual([]);
  });

  it('keeps the platform SDKs at the edge (src/chat) and BullMQ in src/jobs (and the queue action, whose effect is a queue)', () => {
    const sdk = edges.filter((edge) => /^@(slack|larksuiteoapi)\//.test(edge.target) && folderOf(edge.file) !== 'src/chat').map((edge) => `${edge.file} → ${edge.target}`);
    expect(sdk).toEqual([]);
    const bullmq = edges
      .filter((edge) => edge.target === 'bullmq' && folderOf(edge.file) !== 'src/jobs' && edge.file !== 'src/actions/run-queue-action.ts')
      .map((edge) => `${edge.file} → bullmq`);
    expect(bullmq).toEqual([]);
  });
});
