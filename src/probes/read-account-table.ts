import { readFile } from 'node:fs/promises';

/** Names and ids of the users (`/etc/passwd`) or groups (`/etc/group`). */
export interface AccountTable {
  idOf(name: string): number | undefined;
  nameOf(id: number): string | undefined;
}

/**
 * Parses an `/etc/passwd` or `/etc/group` file (`name:x:id:…` lines; the id is the third field in
 * both). A file that cannot be read gives an empty table: ids are then shown without names.
 */
export async function readAccountTable(file: string): Promise<AccountTable> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const ids = new Map<string, number>();
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (name === undefined || name === '' || name.startsWith('#') || id === undefined || !/^\d+$/.test(id)) continue;
    const number = Number(id);
    if (!ids.has(name)) ids.set(name, number);
    if (!names.has(number)) names.set(number, name);
  }
  return { idOf: (name) => ids.get(name), nameOf: (id) => names.get(id) };
}
