import { describe, expect, it } from 'vitest';
import { nextWorkerConcurrency } from '../../../src/jobs/next-worker-concurrency.js';

describe('nextWorkerConcurrency', () => {
  it('halves the concurrency while the loop runs later than the target, down to one job', () => {
    expect(nextWorkerConcurrency(16, 16, 35, 20)).toBe(8);
    expect(nextWorkerConcurrency(3, 16, 35, 20)).toBe(1);
    expect(nextWorkerConcurrency(1, 16, 500, 20)).toBe(1);
  });

  it('adds one job while the loop is well under the target, up to the configured concurrency', () => {
    expect(nextWorkerConcurrency(1, 16, 2, 20)).toBe(2);
    expect(nextWorkerConcurrency(15, 16, 0, 20)).toBe(16);
    expect(nextWorkerConcurrency(16, 16, 0, 20)).toBe(16);
  });

  it('holds between half the target and the target, so that it does not swing around it', () => {
    expect(nextWorkerConcurrency(5, 16, 10, 20)).toBe(5);
    expect(nextWorkerConcurrency(5, 16, 20, 20)).toBe(5);
  });
});
