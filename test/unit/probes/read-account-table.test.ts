import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAccountTable } from '../../../src/probes/read-account-table.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warden-accounts-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('readAccountTable', () => {
  it('maps names to ids and back from passwd and group lines', async () => {
    const file = join(dir, 'passwd');
    await writeFile(file, ['root:x:0:0:root:/root:/bin/bash', '# comment', 'warden:x:1001:1001::/srv/warden:/usr/sbin/nologin', 'broken line', 'alias:x:1001:1001::/:/bin/false', ''].join('\n'));
    const table = await readAccountTable(file);
    expect(table.idOf('warden')).toBe(1001);
    expect(table.idOf('root')).toBe(0);
    expect(table.nameOf(1001)).toBe('warden');
    expect(table.idOf('broken line')).toBeUndefined();
    expect(table.nameOf(5)).toBeUndefined();
  });

  it('gives an empty table for a file it cannot read', async () => {
    const table = await readAccountTable(join(dir, 'missing'));
    expect(table.idOf('root')).toBeUndefined();
  });
});
