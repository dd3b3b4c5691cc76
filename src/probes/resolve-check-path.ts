import { resolve } from 'node:path';
import type { CheckContext } from './check-context.js';

/** A probe's `path`, made absolute against the context's `cwd` (default: the process's). */
export function resolveCheckPath(path: string, context: CheckContext): string {
  return resolve(context.cwd ?? process.cwd(), path);
}
