/** What a benchmark child reports when the parent asks (`{ type: 'stats' }`). */
export interface ChildStats {
  rssBytes: number;
  heapTotalBytes: number;
  heapUsedBytes: number;
  /** Memory outside the V8 heap: Buffers and native allocations. */
  externalBytes: number;
  /** Process CPU time so far, microseconds. */
  cpuUserUs: number;
  cpuSystemUs: number;
  /** Whatever else the child measures (e.g. Redis command counts). */
  extra?: Record<string, unknown>;
}

/** A server running in a benchmark child. */
export interface ChildServer {
  url: string;
  stop(): Promise<void>;
  extraStats?: () => Record<string, unknown>;
}

/** Messages a child sends its parent over IPC. */
export type ChildMessage =
  | { type: 'ready'; url: string }
  | { type: 'failed'; message: string }
  | ({ type: 'stats' } & ChildStats)
  | { type: 'stopped' };

/** Messages the parent sends. */
export type ParentMessage = { type: 'stats' } | { type: 'stop' };

function send(message: ChildMessage): void {
  process.send?.(message);
}

/**
 * Runs a server in a child process started with `fork`: reports `ready` with its URL, answers
 * `stats` requests, and on `stop` closes the server and exits (which also writes a `--cpu-prof`).
 */
export async function serveChild(start: () => Promise<ChildServer>): Promise<void> {
  if (!process.send) throw new Error('run this file through bench/intake/run.ts (it needs an IPC channel)');
  let server: ChildServer;
  try {
    server = await start();
  } catch (error) {
    send({ type: 'failed', message: (error as Error).stack ?? String(error) });
    process.exit(1);
  }
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stats') {
      const cpu = process.cpuUsage();
      const memory = process.memoryUsage();
      send({
        type: 'stats',
        rssBytes: memory.rss,
        heapTotalBytes: memory.heapTotal,
        heapUsedBytes: memory.heapUsed,
        externalBytes: memory.external,
        cpuUserUs: cpu.user,
        cpuSystemUs: cpu.system,
        extra: server.extraStats?.(),
      });
    } else if (message.type === 'stop') {
      server
        .stop()
        .catch((error: unknown) => console.error('benchmark child: stop failed', error))
        .finally(() => {
          send({ type: 'stopped' });
          process.exit(0);
        });
    }
  });
  // The parent going away (Ctrl-C, crash) must not leave a server behind.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', url: server.url });
}
