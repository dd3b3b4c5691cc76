import { isAbsolute, relative } from 'node:path';

/** A path as people should read it in a message: relative to the working directory when under it, else in full. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
