import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/observability/create-metrics.js';

const sample = (text: string) => text.split('\n').filter((line) => line.startsWith('warden_lark_connection_up'));

describe('warden_lark_connection_up', () => {
  it('has no sample without a long connection, and 1 or 0 with one', async () => {
    const metrics = createMetrics();
    const collectors = { countOpenIncidents: async () => 0, countJobs: async () => ({}) };
    metrics.setCollectors(collectors);
    expect(sample(await metrics.registry.metrics())).toEqual([]);
    let up = true;
    metrics.setCollectors({ ...collectors, larkConnectionUp: () => up });
    expect(sample(await metrics.registry.metrics())).toEqual(['warden_lark_connection_up 1']);
    up = false;
    expect(sample(await metrics.registry.metrics())).toEqual(['warden_lark_connection_up 0']);
  });
});
