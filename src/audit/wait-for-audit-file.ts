import { setTimeout as sleep } from 'node:timers/promises';
import { readLastAuditLine } from './read-audit-file.js';

/**
 * Waits until the audit file's last entry has at least `seq` (whichever process on this host writes
 * it), for at most `timeoutMs`; true when it got there. Used on shutdown so that the checkpoint just
 * taken is in the file before the exporter stops.
 */
export async function waitForAuditFile(file: string, seq: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await lastSeqOf(file)) >= seq) return true;
    if (Date.now() >= deadline) return false;
    await sleep(25);
  }
}

async function lastSeqOf(file: string): Promise<number> {
  try {
    const tail = await readLastAuditLine(file);
    const seq = tail.complete && tail.text ? (JSON.parse(tail.text) as { seq?: unknown }).seq : 0;
    return typeof seq === 'number' ? seq : 0;
  } catch {
    return 0;
  }
}
