import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { readProcessStat } from './read-process-stat.js';

/**
 * One process, named well enough to find it again from another attempt: where it runs (host name,
 * and on Linux the boot and the pid namespace, so a reboot or another container on the same kernel
 * is not mistaken for this one) and which process it is (pid, and on Linux its start time, so a
 * reused pid is not mistaken for it).
 */
export interface ProcessIdentity {
  host: string;
  bootId?: string;
  pidNamespace?: string;
  pid: number;
  startTicks?: string;
}

/** Identifies `pid`, a process of this machine. */
export function identifyProcess(pid: number): ProcessIdentity {
  const bootId = readOptional(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
  const pidNamespace = readOptional(() => readlinkSync('/proc/self/ns/pid'));
  const startTicks = readProcessStat(pid)?.startTicks;
  return { host: hostname(), pid, ...(bootId ? { bootId } : {}), ...(pidNamespace ? { pidNamespace } : {}), ...(startTicks ? { startTicks } : {}) };
}

/** Whether `identity` names a process of this machine, boot and pid namespace (whether or not it still runs). */
export function isOnThisMachine(identity: ProcessIdentity): boolean {
  const here = identifyProcess(process.pid);
  return identity.host === here.host && identity.bootId === here.bootId && identity.pidNamespace === here.pidNamespace;
}

function readOptional(read: () => string): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
