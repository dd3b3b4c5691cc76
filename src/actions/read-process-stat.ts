import { readFileSync } from 'node:fs';

/** What Linux's `/proc/<pid>/stat` says about a process. */
export interface ProcessStat {
  /** `R`, `S`, `D`, `Z` (zombie: exited, not yet reaped), … */
  state: string;
  /** Its process group id. */
  pgrp: number;
  /** When it started, in clock ticks since boot: with the pid, it names one process of one boot. */
  startTicks: string;
}

/**
 * Reads `/proc/<pid>/stat`, or returns undefined when there is no such process or no `/proc` (not
 * Linux). The command name in parentheses may hold anything, so fields are counted from its end.
 */
export function readProcessStat(pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // After "pid (comm) ": state is field 3 of proc(5), pgrp field 5, starttime field 22.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const [state, , pgrp] = fields;
  const startTicks = fields[19];
  if (state === undefined || pgrp === undefined || startTicks === undefined) return undefined;
  return { state, pgrp: Number(pgrp), startTicks };
}
