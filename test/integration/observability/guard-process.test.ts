import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { promisify } from 'node:util';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/observability/create-metrics.js';
import { guardProcess } from '../../../src/observability/guard-process.js';

const child = new URL('../../support/guarded-child.ts', import.meta.url).pathname;
const tsx = import.meta.resolve('tsx');

describe('guardProcess', () => {
  it('keeps a real process alive through an uncaught exception and an unhandled rejection, and counts both', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', tsx, child], { timeout: 15_000 });
    expect(stdout).toMatch(/warden_uncaught_errors_total\{origin="uncaughtException"\} 1/);
    expect(stdout).toMatch(/warden_uncaught_errors_total\{origin="unhandledRejection"\} 1/);
    const logged = stdout.split('\n').filter((line) => line.includes('an error nothing caught'));
    expect(logged).toHaveLength(2);
    expect(logged.join('\n')).toContain('results[i] is not iterable');
  });

  it('stops guarding when removed', async () => {
    const target = new EventEmitter();
    const lines: string[] = [];
    const logger = pino(new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) }));
    const metrics = createMetrics();
    const unguard = guardProcess({ logger, counter: metrics.uncaughtErrors, target });
    target.emit('uncaughtException', new Error('first'), 'uncaughtException');
    unguard();
    expect(target.listenerCount('uncaughtException') + target.listenerCount('unhandledRejection')).toBe(0);
    expect((await metrics.uncaughtErrors.get()).values).toEqual([expect.objectContaining({ labels: { origin: 'uncaughtException' }, value: 1 })]);
    expect(lines).toHaveLength(1);
  });
});
