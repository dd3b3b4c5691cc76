import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './start-redis-server.js';

/** The real Alertmanager binary: Debian's package names it prometheus-alertmanager. */
export const ALERTMANAGER_BINARY = ['/usr/bin/prometheus-alertmanager', '/usr/local/bin/alertmanager', '/usr/bin/alertmanager'].find((p) =>
  existsSync(p),
);

/** An alert as pushed to Alertmanager's API v2 (`POST /api/v2/alerts`). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

/** A running Alertmanager whose only receiver is a Warden webhook. */
export interface TestAlertmanager {
  url: string;
  /** Pushes alerts the way Prometheus does. */
  pushAlerts(alerts: PostableAlert[]): Promise<void>;
  stop(): Promise<void>;
}

/** Options for {@link startAlertmanager}. */
export interface StartAlertmanagerOptions {
  webhookUrl: string;
  token: string;
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
}

/**
 * Starts the real Alertmanager (no clustering) on a loopback port, with `webhook_config` pointing at
 * Warden and the token given through `http_config.authorization.credentials_file`.
 */
export async function startAlertmanager(options: StartAlertmanagerOptions): Promise<TestAlertmanager> {
  if (!ALERTMANAGER_BINARY) throw new Error('Alertmanager is not installed: apt-get install prometheus-alertmanager');
  const dir = mkdtempSync(join(tmpdir(), 'warden-am-'));
  const tokenFile = join(dir, 'warden-token');
  writeFileSync(tokenFile, options.token, { mode: 0o600 });
  const config = `
route:
  receiver: warden
  group_by: [${(options.groupBy ?? ['alertname']).map((l) => JSON.stringify(l)).join(', ')}]
  group_wait: ${options.groupWait ?? '1s'}
  group_interval: ${options.groupInterval ?? '1s'}
  repeat_interval: ${options.repeatInterval ?? '1h'}
receivers:
  - name: warden
    webhook_configs:
      - url: ${JSON.stringify(options.webhookUrl)}
        send_resolved: true
        max_alerts: 0
        http_config:
          authorization:
            type: Bearer
            credentials_file: ${JSON.stringify(tokenFile)}
`;
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    ALERTMANAGER_BINARY,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=debug',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));

  // A generous bound: on a busy machine the binary takes a while to start.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`alertmanager exited (${child.exitCode}):\n${output}`);
    try {
      const ready = await fetch(`${url}/-/ready`);
      if (ready.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`alertmanager did not become ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    async pushAlerts(alerts) {
      const response = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      if (!response.ok) throw new Error(`alertmanager refused alerts: ${response.status} ${await response.text()}`);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
