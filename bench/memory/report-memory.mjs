// Preloaded (`node --expose-gc --import`) into the Warden process that bench/memory/run.ts forks:
// answers `{ type: 'memory' }` over IPC with process.memoryUsage() after two full collections, and
// with BENCH_EAGER_SDKS=1 first loads every platform SDK, as Warden did before it loaded them on
// demand, so that both are measured in the same run.
if (process.env.BENCH_EAGER_SDKS === '1') {
  await import('@slack/bolt');
  await import('@slack/socket-mode');
  await import('@larksuiteoapi/node-sdk');
}

process.on('message', (message) => {
  if (message?.type !== 'memory') return;
  globalThis.gc?.();
  globalThis.gc?.();
  process.send?.({ type: 'memory', usage: process.memoryUsage(), collected: typeof globalThis.gc === 'function' });
});
// The channel must not keep the process alive: `warden serve` ends when its work is done.
process.channel?.unref();
