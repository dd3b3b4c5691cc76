import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readProcRss } from '../intake/sample-peak-rss.js';
import { readStartFlags } from '../read-start-flags.js';

const warden = fileURLToPath(new URL('../../bin/warden.js', import.meta.url));
const preload = new URL('./report-memory.mjs', import.meta.url).href;

/** A `warden serve` process (`npm start`, compiled) forked by the memory benchmark. */
export interface WardenProcess {
  pid: number;
  /** RSS from /proc when it logged that it is running. */
  startupRssBytes: number | undefined;
  /** `process.memoryUsage()` inside the process after two full collections. */
  readMemory(): Promise<NodeJS.MemoryUsage>;
  /** SIGTERM, then waits for it to exit; resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** What one started process is given: its config file's lines and environment. */
export interface WardenProcessSetup {
  config: string[];
  env: Record<string, string>;
  /** Loads every platform SDK before Warden starts (Warden before they were loaded on demand). */
  eagerSdks?: boolean;
}

/**
 * Forks `node [flags] bin/warden.js serve` (what `npm start` runs, with its Node.js flags) in a temporary directory with the
 * config given, and resolves once it logs "Warden is running". Its output is kept, and printed
 * only if it fails to start.
 */
export async function startWardenProcess(setup: WardenProcessSetup): Promise<WardenProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-memory-'));
  writeFileSync(join(dir, 'warden.config.yaml'), `${setup.config.join('\n')}\n`);
  const child = fork(warden, ['serve'], {
    cwd: dir,
    execArgv: [...readStartFlags(), '--expose-gc', '--import', preload],
    env: { PATH: process.env.PATH ?? '', WARDEN_CONFIG: join(dir, 'warden.config.yaml'), ...setup.env, ...(setup.eagerSdks ? { BENCH_EAGER_SDKS: '1' } : {}) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });

  const running = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 60_000);
    const check = () => {
      if (output.includes('"Warden is running"')) finish(true);
    };
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      resolve(ok);
    };
    child.stdout?.on('data', check);
    void exited.then(() => finish(false));
  });
  if (!running) {
    child.kill('SIGKILL');
    cleanUp();
    throw new Error(`warden serve did not start:\n${output}`);
  }
  const startupRssBytes = readProcRss(child.pid ?? 0);

  return {
    pid: child.pid ?? 0,
    startupRssBytes,
    readMemory() {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the Warden process did not report its memory within 30 s')), 30_000);
        child.once('message', (message: { type: string; usage: NodeJS.MemoryUsage; collected: boolean }) => {
          clearTimeout(timer);
          if (!message.collected) reject(new Error('the Warden process could not collect garbage (no --expose-gc)'));
          else resolve(message.usage);
        });
        child.send({ type: 'memory' });
      });
    },
    async stop() {
      if (child.connected) child.disconnect();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      cleanUp();
      if (code !== 0) process.stderr.write(`warden serve exited with ${code}:\n${output}\n`);
      return code;
    },
  };
}
