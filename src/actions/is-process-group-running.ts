import { readdirSync } from 'node:fs';
import type { ProcessIdentity } from './identify-process.js';
import { readProcessStat } from './read-process-stat.js';

/**
 * Whether the process group that `leader` led still has a live member, on this machine. On Linux
 * zombies do not count (a container's init may never reap them), and when the leader's pid now
 * names a process with another start time the group is gone: Linux never gives a pid to a new
 * process while a group still uses it as its id. Elsewhere any member answering signal 0 counts.
 */
export function isProcessGroupRunning(leader: ProcessIdentity): boolean {
  const pgid = leader.pid;
  const current = readProcessStat(pgid);
  if (current && leader.startTicks !== undefined && current.startTicks !== leader.startTicks) return false;
  if (!answersSignal(pgid)) return false;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  // Only /proc can tell a zombie from a live member.
  if (!entries.includes('self')) return true;
  return entries.some((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    const stat = readProcessStat(Number(entry));
    return stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X';
  });
}

function answersSignal(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
