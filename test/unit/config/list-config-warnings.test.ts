import { describe, expect, it } from 'vitest';
import { listConfigWarnings } from '../../../src/config/list-config-warnings.js';
import { buildTestConfig } from '../../support/start-test-warden.js';

const configWith = (actions: Record<string, unknown>) => buildTestConfig({ alertmanager: { token: 'x'.repeat(32) }, actions });
const pause = (pattern: string, argv = ['/usr/local/bin/queuectl', 'pause', '{{ labels.queue }}']) => ({
  kind: 'exec',
  phase: 'isolate',
  title: 'Pause task queue',
  argv,
  params: { 'labels.queue': pattern },
});

describe('listConfigWarnings', () => {
  it('warns about an exec input pattern that admits a leading "-" where the input starts an argument', () => {
    const warnings = listConfigWarnings(configWith({ 'pause-task-queue': pause('^[a-z0-9-]{1,64}$') }));
    expect(warnings).toEqual([expect.stringMatching(/^actions\.pause-task-queue\.params\.labels\.queue: the pattern \^\[a-z0-9-\]\{1,64\}\$ admits a value starting with "-".*"--all"/)]);
    expect(listConfigWarnings(configWith({ numbers: pause('^-?[0-9]+$') }))).toHaveLength(1);
  });

  it('is silent for patterns that refuse a leading "-", inputs behind a fixed prefix, and other kinds', () => {
    expect(listConfigWarnings(configWith({ 'pause-task-queue': pause('^[a-z0-9][a-z0-9-]{0,63}$') }))).toEqual([]);
    expect(listConfigWarnings(configWith({ prefixed: pause('^[a-z0-9-]{1,64}$', ['/usr/local/bin/queuectl', '--queue={{ labels.queue }}']) }))).toEqual([]);
    const http = { kind: 'http', phase: 'isolate', title: 'Block', params: { 'labels.queue': '^[a-z0-9-]{1,64}$' }, request: { url: 'https://fw.example/{{ labels.queue }}' } };
    expect(listConfigWarnings(configWith({ http }))).toEqual([]);
  });
});
