import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { displayPath } from './display-path.js';
import { formatConfigPath } from './format-config-path.js';
import { parseLocatedYaml } from './parse-located-yaml.js';

/** A problem at a key path of a YAML file. */
export interface YamlProblem {
  path: readonly PropertyKey[];
  message: string;
}

/** How {@link loadYamlFile} validates a file. */
export interface YamlFileRules<T> {
  schema: z.ZodType<T>;
  /** Rules the schema cannot state (the id is the file name, referenced actions exist). */
  check: (tree: unknown) => YamlProblem[];
  /** Said when the file is empty: what it must hold. */
  emptyMessage: string;
  /** Said for an unknown key at `path` (default: remove it or check its spelling). */
  unknownKey?: (path: readonly PropertyKey[]) => string;
}

/**
 * Reads one YAML data file (a playbook, a checklist) and validates it with `schema` plus `check`
 * (rules the schema cannot state, run on the raw tree so every problem shows at once). Problems are
 * appended to `problems` as `<file>:<line>: <key path>: what is wrong and how to fix it`, in file
 * order; the value is returned only when there are none.
 */
export function loadYamlFile<T>(file: string, rules: YamlFileRules<T>, problems: string[]): T | undefined {
  const { schema, check, emptyMessage, unknownKey } = rules;
  const shown = displayPath(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`${shown}: cannot read it: ${(error as Error).message}`);
    return undefined;
  }
  const yaml = parseLocatedYaml(text);
  if (!yaml.ok) {
    problems.push(`${shown}:${yaml.line ?? 1}: YAML syntax: ${yaml.message}`);
    return undefined;
  }
  const { tree, lineOf } = yaml;
  const found: YamlProblem[] = [];
  if (tree === null || tree === undefined) {
    found.push({ path: [], message: emptyMessage });
  } else {
    const parsed = schema.safeParse(tree, { reportInput: true });
    if (!parsed.success) for (const issue of parsed.error.issues) found.push(...describeYamlIssue(issue, unknownKey));
    found.push(...check(tree));
    if (found.length === 0 && parsed.success) return parsed.data;
  }
  // In file order, as someone fixing them reads the file.
  // A rule the loader checks on the raw tree may repeat one of the schema's: say it once.
  const texts = [...new Map(found.map(({ path, message }) => [`${formatConfigPath(path)}: ${message}`, path] as const))];
  const located = texts.map(([text, path]) => ({ line: lineOf(path) ?? 1, text }));
  for (const { line, text } of located.sort((a, b) => a.line - b.line)) problems.push(`${shown}:${line}: ${text}`);
  return undefined;
}

/** One zod issue as problems people can act on: unknown keys one by one, missing keys as "required". */
function describeYamlIssue(issue: z.core.$ZodIssue, unknownKey?: (path: readonly PropertyKey[]) => string): YamlProblem[] {
  if (issue.code === 'unrecognized_keys') {
    // zod's own wording is replaced; a schema's message that lists the accepted keys is kept.
    const message = unknownKey?.(issue.path) ?? (issue.message.startsWith('Unrecognized key') ? 'unknown key; remove it or check its spelling' : issue.message);
    return issue.keys.map((key) => ({ path: [...issue.path, key], message }));
  }
  if (issue.code === 'invalid_key') return [{ path: issue.path, message: `bad key: ${issue.issues[0]?.message ?? issue.message}` }];
  if (issue.code === 'invalid_type' && issue.input === undefined) return [{ path: issue.path, message: 'required; add it' }];
  return [{ path: issue.path, message: issue.message }];
}
