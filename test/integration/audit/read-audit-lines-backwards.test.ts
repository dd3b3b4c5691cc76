import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditLinesBackwards } from '../../../src/audit/read-audit-lines-backwards.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warden-backwards-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function linesOf(text: string, chunkSize: number): Promise<string[]> {
  const file = join(dir, `f-${Math.random().toString(36).slice(2)}.jsonl`);
  await writeFile(file, text);
  const lines: string[] = [];
  for await (const line of readAuditLinesBackwards(file, chunkSize)) lines.push(line);
  return lines;
}

describe('readAuditLinesBackwards', () => {
  it('yields every complete line from the last to the first, across chunk boundaries and multi-byte characters', async () => {
    const lines = ['{"seq":1,"text":"漢字é"}', '', '{"seq":3}', 'x'.repeat(50), '{"seq":5,"text":"ü"}'];
    for (const chunkSize of [1, 2, 3, 7, 64, 65_536]) {
      expect(await linesOf(`${lines.join('\n')}\n`, chunkSize)).toEqual([...lines].reverse());
    }
  });

  it('skips a torn last line and reads nothing from a file without a newline', async () => {
    expect(await linesOf('{"seq":1}\n{"seq":2}\n{"seq":3,"at', 4)).toEqual(['{"seq":2}', '{"seq":1}']);
    expect(await linesOf('{"seq":1', 4)).toEqual([]);
    expect(await linesOf('', 4)).toEqual([]);
  });

  it('throws the file system error for a missing file', async () => {
    await expect(readAuditLinesBackwards(join(dir, 'nope.jsonl')).next()).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
