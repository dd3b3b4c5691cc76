import { describe, expect, it } from 'vitest';
import { buildActionPreview } from '../../../src/actions/build-action-preview.js';
import { renderActionRun } from '../../../src/actions/render-action-run.js';
import { actionSchema } from '../../../src/config/action-schema.js';
import { randomSecret } from '../../support/test-redis.js';
import { makeAlert, makeIncident } from './incident-fixture.js';

const HOST = '^[A-Za-z0-9][A-Za-z0-9.:_-]{0,252}$';

describe('buildActionPreview', () => {
  it('shows method, URL, headers and body with every secret masked', () => {
    const token = randomSecret(32);
    const password = randomSecret(16);
    const action = actionSchema.parse({
      kind: 'http',
      phase: 'isolate',
      title: 'Block host',
      params: { 'labels.instance': HOST },
      request: {
        url: `https://ops:${password}@fw.example/api/{{ labels.instance }}/block?token=${token}`,
        headers: { Authorization: `Bearer ${token}`, 'X-Target': '{{ labels.instance }}', 'Content-Type': 'application/json' },
        body: { host: '{{ labels.instance }}', key: token },
      },
    });
    const preview = buildActionPreview(action, { 'labels.instance': 'web-5:9100', 'incident.key': 'inc-1' }, [token]);
    const text = JSON.stringify(preview);
    expect(text).not.toContain(token);
    expect(text).not.toContain(password);
    expect(preview).toMatchObject({ kind: 'http', method: 'POST', url: expect.stringMatching(/^https:\/\/fw\.example\/api\/web-5:9100\/block\?token=/) });
    expect(JSON.parse((preview as { body: string }).body)).toEqual({ host: 'web-5:9100', key: '[redacted]' });
    expect(Object.fromEntries((preview as { headers: [string, string][] }).headers)).toEqual({ authorization: '[redacted]', 'x-target': '[redacted]', 'content-type': 'application/json' });
  });

  it('renders an exec argv element per input, and refuses what the runner would refuse', () => {
    const action = actionSchema.parse({ kind: 'exec', phase: 'isolate', title: 'Pause', argv: ['/usr/local/bin/queuectl', 'pause', '{{ labels.queue }}'], params: { 'labels.queue': '^[a-z0-9][a-z0-9-]{0,63}$' } });
    expect(buildActionPreview(action, { 'labels.queue': 'tasks' }, [])).toEqual({ kind: 'exec', program: '/usr/local/bin/queuectl', args: ['pause', 'tasks'] });
    const refused = renderActionRun(action, makeIncident(), [makeAlert({ queue: '--all' })], []);
    expect(refused).toEqual({ refusal: expect.stringMatching(/^not run: \{\{ labels\.queue \}\} was rejected: the value "--all" does not match/) });
    const rendered = renderActionRun(action, makeIncident(), [makeAlert({ queue: 'tasks' })], []);
    expect(rendered).toMatchObject({ rendering: { inputs: { 'labels.queue': 'tasks' }, preview: { args: ['pause', 'tasks'] } } });
  });
});
