import { describe, expect, it } from 'vitest';
import { checkNetwork } from '../../../src/self-audit/check-network.js';
import { buildConfig, buildContext, findingOf, goodSlack } from '../../support/self-audit-fixtures.js';

const audit = (tree: Record<string, unknown>) => checkNetwork(buildContext({ config: buildConfig(tree) }));

const probe = (url: string) => ({ kind: 'http-check', phase: 'analyze', title: 'Probe', url });

describe('checkNetwork: listen address', () => {
  it.each(['127.0.0.1', 'localhost', '::1', '127.0.0.53'])('passes loopback %s', (host) => {
    expect(findingOf(audit({ server: { host } }), 'server-bind-address')).toMatchObject({ status: 'pass', finding: `binds ${host}:3000 (loopback)` });
  });

  it('fails 0.0.0.0 with no trusted proxy and says to put a TLS proxy in front', () => {
    const finding = findingOf(audit({ server: { host: '0.0.0.0', port: 8080 } }), 'server-bind-address');
    expect(finding).toMatchObject({ status: 'fail', severity: 'high' });
    expect(finding.finding).toMatch(/^binds 0\.0\.0\.0:8080 with no trusted proxy configured/);
    expect(finding.fix).toMatch(/^put a TLS-terminating reverse proxy in front and bind 127\.0\.0\.1/);
  });

  it('passes a non-loopback address behind trusted proxies, naming them', () => {
    const finding = findingOf(audit({ server: { host: '10.0.0.5', trustedProxies: ['10.0.3.7'] } }), 'server-bind-address');
    expect(finding).toMatchObject({ status: 'pass', finding: 'binds 10.0.0.5:3000 behind the trusted proxies 10.0.3.7 (TLS is expected to end there)' });
  });
});

describe('checkNetwork: trusted proxies', () => {
  it('passes none, single addresses and narrow ranges', () => {
    expect(findingOf(audit({}), 'server-trusted-proxies').status).toBe('pass');
    expect(findingOf(audit({ server: { trustedProxies: ['10.0.3.7', '10.0.0.0/8', 'fd00::/48'] } }), 'server-trusted-proxies').status).toBe('pass');
  });

  it('fails ranges that trust everyone, naming them', () => {
    const finding = findingOf(audit({ server: { trustedProxies: ['10.0.3.7', '0.0.0.0/0', '::/0'] } }), 'server-trusted-proxies');
    expect(finding).toMatchObject({ status: 'fail', severity: 'medium' });
    expect(finding.finding).toContain('trusts X-Forwarded-For from 0.0.0.0/0, ::/0');
  });
});

describe('checkNetwork: outbound URLs', () => {
  it('passes https:// everywhere and http:// to loopback', () => {
    const finding = findingOf(
      audit({
        slack: { ...goodSlack(), apiUrl: 'https://slack.com/api/' },
        actions: { local: probe('http://127.0.0.1:8080/healthz'), prom: { kind: 'prometheus', phase: 'analyze', title: 'P', url: 'http://localhost:9090', query: 'up' }, remote: probe('https://api.example.com/healthz') },
      }),
      'plain-http-urls',
    );
    expect(finding).toMatchObject({ status: 'pass', finding: '4 outbound URL(s): none uses http:// to another host' });
  });

  it('fails http:// to other hosts: medium for probes, high where credentials are sent', () => {
    const probes = findingOf(audit({ actions: { prom: { kind: 'prometheus', phase: 'analyze', title: 'P', url: 'http://prometheus.internal:9090', query: 'up' } } }), 'plain-http-urls');
    expect(probes).toMatchObject({ status: 'fail', severity: 'medium', finding: 'plain http:// to other hosts: actions.prom.url (http://prometheus.internal)' });

    const credentialed = findingOf(
      audit({
        slack: { ...goodSlack(), apiUrl: 'http://slack-proxy.example/api/' },
        lark: { appId: 'cli_a1', appSecret: 'x'.repeat(32), encryptKey: 'y'.repeat(32), verificationToken: 'z'.repeat(32), domain: 'http://open.feishu.cn' },
        actions: {
          isolate: { kind: 'http', phase: 'isolate', title: 'Isolate', request: { url: 'http://fw.example/api/isolate', headers: { Authorization: 'Bearer t0ken-value' } } },
          scan: { ...probe('http://{{ labels.instance }}:9100/metrics'), params: { 'labels.instance': '^[a-z0-9.-]{1,253}$' }, allowHosts: ['*.prod.example.com'] },
        },
      }),
      'plain-http-urls',
    );
    expect(credentialed).toMatchObject({ status: 'fail', severity: 'high' });
    expect(credentialed.finding).toBe(
      'plain http:// to other hosts: slack.apiUrl (http://slack-proxy.example, sends credentials), lark.domain (http://open.feishu.cn, sends credentials), actions.isolate.request.url (http://fw.example, sends credentials), actions.scan.url (http://{{ labels.instance }})',
    );
    expect(credentialed.finding).not.toContain('t0ken-value');
  });
});
