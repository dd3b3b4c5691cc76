import { describe, expect, it } from 'vitest';
import { summarizeGroup } from '../../../src/incidents/summarize-group.js';

type Labels = Record<string, string>;

function group(alertLabels: Labels[], commonLabels: Labels = {}, groupLabels: Labels = {}) {
  const alerts = alertLabels.map((labels, i) => ({
    status: 'firing' as const,
    labels,
    annotations: {},
    startsAt: '2026-11-20T10:00:00Z',
    endsAt: '',
    generatorURL: '',
    fingerprint: `f${i}`,
  }));
  return { alerts, commonLabels, groupLabels };
}

describe('summarizeGroup', () => {
  it('titles a group by its distinct alert names, in order', () => {
    const summary = summarizeGroup(group([{ alertname: 'B' }, { alertname: 'A' }, { alertname: 'B' }]));
    expect(summary.title).toBe('B, A');
  });

  it('shows the first three names, then how many more', () => {
    const names = ['A', 'B', 'C', 'D', 'E'];
    expect(summarizeGroup(group(names.slice(0, 3).map((alertname) => ({ alertname })))).title).toBe('A, B, C');
    expect(summarizeGroup(group(names.map((alertname) => ({ alertname })))).title).toBe('A, B, C +2 more');
  });

  it('falls back to the group label, then to a generic title', () => {
    expect(summarizeGroup(group([{ instance: 'x' }], {}, { alertname: 'FromGroup' })).title).toBe('FromGroup');
    expect(summarizeGroup(group([{ instance: 'x' }])).title).toBe('Alert group');
  });

  it('uses the shared severity label when there is one', () => {
    const summary = summarizeGroup(group([{ alertname: 'A', severity: 'critical' }, { alertname: 'A', severity: 'info' }], { severity: 'warning' }));
    expect(summary.severity).toBe('warning');
  });

  it('otherwise takes the highest severity among the alerts', () => {
    expect(summarizeGroup(group([{ severity: 'info' }, { severity: 'critical' }, { severity: 'warning' }])).severity).toBe('critical');
    expect(summarizeGroup(group([{ severity: 'low' }, { severity: 'high' }, { severity: 'medium' }])).severity).toBe('high');
  });

  it('keeps an unknown severity only when nothing ranked is present', () => {
    expect(summarizeGroup(group([{ severity: 'p1' }])).severity).toBe('p1');
    expect(summarizeGroup(group([{ severity: 'p1' }, { severity: 'info' }])).severity).toBe('info');
  });

  it('says unknown when no alert has a severity', () => {
    expect(summarizeGroup(group([{ alertname: 'A' }])).severity).toBe('unknown');
  });
});
