import { existsSync, readFileSync } from 'node:fs';

/** True while `pid` runs; a killed process not yet reaped by its (new) parent is a zombie, not alive. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const state = /\)\s+(\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
    return state !== 'Z' && state !== 'X';
  } catch {
    return !existsSync('/proc/self');
  }
}
