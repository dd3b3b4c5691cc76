/** The recorded calls of a fake chat API, with a way to wait until they satisfy a condition. */
export interface FakeCallLog<T> {
  calls: T[];
  push(call: T): void;
  /** Resolves once `predicate(calls)` holds; rejects after `timeoutMs` (default 5000) naming what was seen. */
  waitFor(predicate: (calls: T[]) => boolean, timeoutMs?: number): Promise<void>;
}

/** Shared by the fake Slack and Lark APIs: an append-only call list that wakes waiters on each call. */
export function createFakeCallLog<T>(): FakeCallLog<T> {
  const calls: T[] = [];
  const waiters = new Set<() => void>();
  return {
    calls,
    push(call) {
      calls.push(call);
      for (const wake of [...waiters]) wake();
    },
    waitFor(predicate, timeoutMs = 5000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!predicate(calls)) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`waitFor timed out after ${timeoutMs} ms; ${calls.length} calls recorded: ${JSON.stringify(calls.map(summarize))}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

function summarize(call: unknown): unknown {
  if (typeof call !== 'object' || call === null) return call;
  const { method, path, status, error, code } = call as Record<string, unknown>;
  return { method, path, status, error, code };
}
