import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { WardenError } from '../errors/warden-error.js';

/** The lines of an audit JSONL file, as {@link readAuditFile} found them. */
export interface AuditFileContents {
  /** The parsed value of every line, in file order (entry `i` is line `i + 1`); `undefined` where a line is not JSON. */
  entries: unknown[];
  /** Lines that are empty or not valid JSON, with the reason. */
  malformed: { line: number; reason: string }[];
}

function unreadable(path: string, error: unknown): WardenError {
  const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
  return new WardenError('audit_file_unreadable', `cannot read the audit file ${path}: ${reason}`, { cause: error });
}

/**
 * Reads an audit JSONL file (one entry per line, as the exporter writes it) without judging the
 * entries: that is {@link verifyAuditChain}'s job. Every line counts, so an inserted empty line or a
 * torn last line is reported (in `malformed`, and as an `undefined` entry) rather than skipped.
 * Throws `audit_file_unreadable` when the file cannot be read.
 */
export async function readAuditFile(path: string): Promise<AuditFileContents> {
  const contents: AuditFileContents = { entries: [], malformed: [] };
  const stream = createReadStream(path, { encoding: 'utf8' });
  // Streamed line by line: the file only grows, and may be far larger than one string may be.
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line += 1;
      if (text.trim() === '') {
        contents.entries.push(undefined);
        contents.malformed.push({ line, reason: 'empty line' });
        continue;
      }
      try {
        contents.entries.push(JSON.parse(text) as unknown);
      } catch (error) {
        contents.entries.push(undefined);
        contents.malformed.push({ line, reason: `not valid JSON (${(error as Error).message})` });
      }
    }
  } catch (error) {
    throw unreadable(path, error);
  } finally {
    lines.close();
    stream.destroy();
  }
  return contents;
}

/** The end of an audit file, as {@link readLastAuditLine} found it. */
export interface AuditFileTail {
  /** The last line without its newline; undefined for an empty or missing file. */
  text: string | undefined;
  /** False when the file does not end with a newline: the last write was torn (a crash mid-write). */
  complete: boolean;
  /** The file's size in bytes (0 when missing). */
  size: number;
}

/** Reads only the last line of an audit file, backwards from its end, so resuming costs the same at any size. */
export async function readLastAuditLine(path: string): Promise<AuditFileTail> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { text: undefined, complete: true, size: 0 };
    throw unreadable(path, error);
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return { text: undefined, complete: true, size };
    const chunks: Buffer[] = [];
    let complete = true;
    for (let end = size, first = true; end > 0; first = false) {
      const start = Math.max(0, end - 64 * 1024);
      let chunk = Buffer.alloc(end - start);
      await handle.read(chunk, 0, chunk.length, start);
      if (first) {
        complete = chunk.at(-1) === 0x0a;
        if (complete) chunk = chunk.subarray(0, -1);
      }
      const newline = chunk.lastIndexOf(0x0a);
      chunks.unshift(newline >= 0 ? chunk.subarray(newline + 1) : chunk);
      end = newline >= 0 ? 0 : start;
    }
    return { text: Buffer.concat(chunks).toString('utf8'), complete, size };
  } finally {
    await handle.close();
  }
}
