import { describe, expect, it } from 'vitest';
import type { RouteConfig } from '../../../src/config/config-schema.js';
import { matchRoute } from '../../../src/incidents/match-route.js';

const routes: RouteConfig[] = [
  { match: { severity: 'critical', team: 'sec' }, to: ['slack:C0SEC', 'lark:oc_sec'], playbook: 'abnormal-access' },
  { match: { severity: 'critical' }, to: ['slack:C0CRIT'] },
  { to: ['slack:C0ALERTS'], playbook: 'triage-only' },
];

describe('matchRoute', () => {
  it('takes the first route whose labels all match', () => {
    expect(matchRoute(routes, { severity: 'critical', team: 'sec', alertname: 'X' })).toEqual({
      destinations: ['slack:C0SEC', 'lark:oc_sec'],
      playbook: 'abnormal-access',
    });
    expect(matchRoute(routes, { severity: 'critical', team: 'web' })).toEqual({ destinations: ['slack:C0CRIT'], playbook: 'default' });
  });

  it('lets a route without match take everything else', () => {
    expect(matchRoute(routes, { severity: 'warning' })).toEqual({ destinations: ['slack:C0ALERTS'], playbook: 'triage-only' });
    expect(matchRoute(routes, {})).toEqual({ destinations: ['slack:C0ALERTS'], playbook: 'triage-only' });
  });

  it('compares label values exactly', () => {
    const only = [routes[1]!];
    expect(matchRoute(only, { severity: 'Critical' }).destinations).toEqual(['console:terminal']);
    expect(matchRoute(only, { severity: 'critical ' }).destinations).toEqual(['console:terminal']);
  });

  it('sends to the terminal when no route matches', () => {
    expect(matchRoute([], { severity: 'critical' })).toEqual({ destinations: ['console:terminal'], playbook: 'default' });
    expect(matchRoute([routes[0]!], { severity: 'critical' })).toEqual({ destinations: ['console:terminal'], playbook: 'default' });
  });

  it('returns a copy of the destinations', () => {
    const routing = matchRoute(routes, { severity: 'warning' });
    routing.destinations.push('slack:C0EVIL');
    expect(routes[2]?.to).toEqual(['slack:C0ALERTS']);
  });

  it('lets a valid playbook label override the route, whether or not a route matches', () => {
    expect(matchRoute(routes, { severity: 'critical', team: 'sec', playbook: 'ransomware' }).playbook).toBe('ransomware');
    expect(matchRoute([], { playbook: 'data-leak-2' }).playbook).toBe('data-leak-2');
  });

  it.each(['', 'Ransomware', '../etc/passwd', 'a b', 'x'.repeat(65), 'abc\n'])('ignores the playbook label %j', (playbook) => {
    expect(matchRoute(routes, { severity: 'critical', team: 'sec', playbook }).playbook).toBe('abnormal-access');
  });
});
