import { describe, expect, it } from 'vitest';
import { buildTemplateInputs } from '../../../src/templates/build-template-inputs.js';
import { makeAlert, makeIncident } from '../actions/incident-fixture.js';

describe('buildTemplateInputs', () => {
  it('has the incident fields and the common labels when there is no alert', () => {
    const inputs = buildTemplateInputs(makeIncident({ key: 'inc-1', severity: 'warning', title: 'DiskFull' }));
    expect(inputs).toEqual({
      'incident.key': 'inc-1',
      'incident.severity': 'warning',
      'incident.title': 'DiskFull',
      'labels.alertname': 'HighErrorRate',
      'labels.severity': 'critical',
      'labels.job': 'api',
    });
  });

  it("prefers the alert's labels and falls back to commonLabels for the rest", () => {
    const incident = makeIncident({ commonLabels: { job: 'api', region: 'eu-1' } });
    const alert = makeAlert({ instance: 'web-1:9100' });
    alert.labels.job = 'api-canary';
    const inputs = buildTemplateInputs(incident, alert);
    expect(inputs['labels.instance']).toBe('web-1:9100');
    expect(inputs['labels.job']).toBe('api-canary');
    expect(inputs['labels.region']).toBe('eu-1');
  });

  it('skips label names a template could not reference', () => {
    const alert = makeAlert({ 'bad-name': 'x', 'with.dot': 'y', ok_name: 'z' });
    const inputs = buildTemplateInputs(makeIncident(), alert);
    expect(inputs).not.toHaveProperty(['labels.bad-name']);
    expect(inputs).not.toHaveProperty(['labels.with.dot']);
    expect(inputs['labels.ok_name']).toBe('z');
  });
});
