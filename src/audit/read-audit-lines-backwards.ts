import { open } from 'node:fs/promises';

/**
 * The lines of an audit file from the last to the first, read in chunks from the end, so that the
 * newest entries of a large file cost no more than those of a small one. Bytes after the last
 * newline (a write under way, or torn) are not a line and are skipped. Throws the file system's
 * error (e.g. `ENOENT`) when the file cannot be opened.
 */
export async function* readAuditLinesBackwards(path: string, chunkSize = 64 * 1024): AsyncGenerator<string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    // Bytes before the newest newline found so far whose line starts further back.
    let pending = Buffer.alloc(0);
    let beforeLastNewline = false;
    for (let position = size; position > 0; ) {
      const start = Math.max(0, position - chunkSize);
      const chunk = Buffer.alloc(position - start);
      await handle.read(chunk, 0, chunk.length, start);
      position = start;
      const data = Buffer.concat([chunk, pending]);
      let end = data.length;
      for (let newline = end > 0 ? data.lastIndexOf(0x0a, end - 1) : -1; newline >= 0; newline = end > 0 ? data.lastIndexOf(0x0a, end - 1) : -1) {
        if (beforeLastNewline) yield data.subarray(newline + 1, end).toString('utf8');
        beforeLastNewline = true;
        end = newline;
      }
      pending = data.subarray(0, end);
    }
    if (beforeLastNewline) yield pending.toString('utf8');
  } finally {
    await handle.close();
  }
}
