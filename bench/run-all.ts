import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The benchmarks `npm run bench:all` runs, in this order, each with its defaults. */
export const ALL_BENCHMARKS = ['intake', 'slack-ack', 'storm', 'latency', 'memory'] as const;

const root = fileURLToPath(new URL('..', import.meta.url));

function runOne(name: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `bench/${name}/run.ts`], { cwd: root, stdio: 'inherit' });
    child.once('error', (error) => {
      console.error(`cannot start bench/${name}: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * Runs every benchmark in turn, one process each (so none inherits another's heap or JIT state),
 * and prints a summary. Resolves with 1 when any of them failed (an invalid run writes no results).
 */
export async function runAll(): Promise<number> {
  const outcomes: [string, number, number][] = [];
  for (const name of ALL_BENCHMARKS) {
    process.stderr.write(`\n=== bench/${name} ===\n`);
    const started = Date.now();
    const code = await runOne(name);
    outcomes.push([name, code, Math.round((Date.now() - started) / 1000)]);
  }
  console.log('\nbenchmarks:');
  for (const [name, code, seconds] of outcomes) console.log(`  ${name.padEnd(10)} ${code === 0 ? 'ran' : `FAILED (exit ${code})`} in ${seconds} s`);
  return outcomes.some(([, code]) => code !== 0) ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await runAll();
}
