import { describe, expect, it } from 'vitest';
import { buildAlertmanagerUrl } from '../../../cards/build-alertmanager-url.js';
import { buildSilenceMatchers, toFilterMatchers } from '../../../src/silences/build-silence-matchers.js';
import { chooseSilenceDuration } from '../../../src/silences/choose-silence-duration.js';
import { formatLabelFilter } from '../../../src/shared/format-label-filter.js';
import { buildTestConfig } from '../../support/start-test-warden.js';

describe('buildSilenceMatchers', () => {
  it('matches the group labels exactly, one matcher each', () => {
    expect(buildSilenceMatchers({ groupLabels: { alertname: 'DiskFull', instance: 'db-1:9100' }, commonLabels: { severity: 'warning' } })).toEqual([
      { name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true },
      { name: 'instance', value: 'db-1:9100', isRegex: false, isEqual: true },
    ]);
  });

  it('falls back to the labels the alerts share when the group has none, and refuses a silence of everything', () => {
    expect(buildSilenceMatchers({ groupLabels: {}, commonLabels: { alertname: 'X', severity: 'critical' } }).map((m) => m.name)).toEqual(['alertname', 'severity']);
    expect(() => buildSilenceMatchers({ groupLabels: {}, commonLabels: {} })).toThrow(expect.objectContaining({ code: 'silence_no_matchers' }));
  });

  it('writes the filter of the list API with quotes and backslashes escaped', () => {
    const matchers = buildSilenceMatchers({ groupLabels: { job: 'a"b\\c' }, commonLabels: {} });
    expect(toFilterMatchers(matchers)).toEqual(['job="a\\"b\\\\c"']);
  });
});

describe('Alertmanager links', () => {
  it('pre-fills the new-silence form with the group labels, URL-encoded', () => {
    expect(buildAlertmanagerUrl('http://am.example:9093', 'silences/new', { alertname: 'DiskFull', instance: 'db-1:9100' })).toBe(
      'http://am.example:9093/#/silences/new?filter=%7Balertname%3D%22DiskFull%22%2Cinstance%3D%22db-1%3A9100%22%7D',
    );
    expect(decodeURIComponent(buildAlertmanagerUrl('http://am.example:9093/', 'alerts', { alertname: 'X' })!.split('filter=')[1]!)).toBe(formatLabelFilter({ alertname: 'X' }));
  });

  it('keeps a path prefix and links nowhere without a safe URL or labels', () => {
    expect(buildAlertmanagerUrl('https://ops.example/alertmanager/', 'alerts', { a: 'b' })).toBe('https://ops.example/alertmanager/#/alerts?filter=%7Ba%3D%22b%22%7D');
    expect(buildAlertmanagerUrl('', 'alerts', { a: 'b' })).toBeUndefined();
    expect(buildAlertmanagerUrl('javascript:alert(1)', 'alerts', { a: 'b' })).toBeUndefined();
    expect(buildAlertmanagerUrl('http://user:pw@am.example', 'alerts', { a: 'b' })).toBeUndefined();
    expect(buildAlertmanagerUrl('http://am.example', 'alerts', {})).toBeUndefined();
  });
});

describe('chooseSilenceDuration', () => {
  const config = buildTestConfig({
    alertmanager: { token: 'x'.repeat(32), silence: { defaultDuration: '1h' } },
    routes: [{ match: { severity: 'critical' }, to: ['slack:C0SEC'], silenceDuration: '30m' }, { to: ['slack:C0ALL'] }],
  });

  it("takes the matching route's silenceDuration, else the default", () => {
    expect(chooseSilenceDuration(config, { groupLabels: { alertname: 'X' }, commonLabels: { severity: 'critical' } })).toBe(30 * 60_000);
    expect(chooseSilenceDuration(config, { groupLabels: { alertname: 'X' }, commonLabels: { severity: 'warning' } })).toBe(3_600_000);
  });
});
