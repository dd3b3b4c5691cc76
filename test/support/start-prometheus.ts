import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from '../../src/redis/find-free-port.js';

export { findFreePort };

/** The real Prometheus binary (Debian package `prometheus`); `PROMETHEUS_BIN` overrides it. */
export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

/** A running private Prometheus. */
export interface StartedPrometheus {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The `instance` label of its self-scrape target, e.g. `127.0.0.1:41234`. */
  instance: string;
  /** Stops the process and removes its config and storage. */
  stop(): Promise<void>;
}

/**
 * Starts `/usr/bin/prometheus` on 127.0.0.1 with an ephemeral port, a temporary config that scrapes
 * itself every second and temporary storage, and resolves once a query for `up` returns data.
 */
export async function startPrometheus(options: { readyTimeoutMs?: number } = {}): Promise<StartedPrometheus> {
  if (!existsSync(PROMETHEUS_BIN)) {
    throw new Error(`${PROMETHEUS_BIN} not found; install it with: DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus`);
  }
  let lastError: unknown;
  // The free port is found before Prometheus binds it, so another process may take it first: retry.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options.readyTimeoutMs ?? 30_000);
    } catch (error) {
      lastError = error;
      if (!String(error).includes('address already in use')) break;
    }
  }
  throw lastError;
}

async function startOnce(readyTimeoutMs: number): Promise<StartedPrometheus> {
  const port = await findFreePort();
  const instance = `127.0.0.1:${port}`;
  const dir = await mkdtemp(join(tmpdir(), 'warden-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(
    configFile,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: prometheus',
      '    static_configs:',
      `      - targets: ["${instance}"]`,
      '',
    ].join('\n'),
  );
  const child = spawn(
    PROMETHEUS_BIN,
    [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=${instance}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const stop = async () => {
    await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
  };

  const url = `http://${instance}`;
  const deadline = Date.now() + readyTimeoutMs;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`prometheus exited (${child.exitCode ?? child.signalCode}): ${stderr}`);
      if (await hasUpData(url)) return { url, instance, stop };
      await sleep(200);
    }
    throw new Error(`prometheus did not answer a query for "up" within ${readyTimeoutMs} ms: ${stderr}`);
  } catch (error) {
    await stop();
    throw error;
  }
}

async function hasUpData(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/api/v1/query?query=up`, { signal: AbortSignal.timeout(1000) });
    const answer = (await response.json()) as { status?: string; data?: { result?: unknown[] } };
    return answer.status === 'success' && (answer.data?.result?.length ?? 0) > 0;
  } catch {
    return false;
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

