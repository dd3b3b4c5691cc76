import { readFileSync } from 'node:fs';

/** A process's resident set size from /proc (Linux), read without disturbing it; undefined elsewhere. */
export function readProcRss(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Samples a process's RSS every `intervalMs` until the returned function is called, which gives the
 * peak in bytes. `fallback` is asked when /proc cannot be read (it may answer asynchronously).
 */
export function samplePeakRss(pid: number, intervalMs = 100, fallback?: () => Promise<number>): () => number {
  let peak = 0;
  const sample = () => {
    const rss = readProcRss(pid);
    if (rss !== undefined) peak = Math.max(peak, rss);
    else fallback?.().then((value) => (peak = Math.max(peak, value)), () => {});
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return () => {
    clearInterval(timer);
    sample();
    return peak;
  };
}
