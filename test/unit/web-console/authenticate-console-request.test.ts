import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.js';
import { authenticateConsoleRequest, readForwardedIdentities } from '../../../src/web-console/authenticate-console-request.js';
import { createTrustedProxies } from '../../../src/web-console/trusted-proxies.js';

const access = configSchema.parse({
  alertmanager: { token: 'x'.repeat(32) },
  access: {
    people: { alice: ['slack:U0ALICE', 'email:alice@example.com'], carol: ['sso:carol'], bob: ['email:bob@example.com'] },
    groups: { viewers: ['alice', 'carol'] },
    permissions: { 'console.view': ['viewers'] },
  },
}).access;

describe('createTrustedProxies', () => {
  const trusted = createTrustedProxies(['127.0.0.1', '10.1.0.0/16', '::1']);

  it('trusts the listed addresses and CIDRs, and an IPv4 peer on a dual-stack socket', () => {
    expect(['127.0.0.1', '10.1.200.3', '::1', '::ffff:127.0.0.1', '::ffff:10.1.0.9'].map(trusted)).toEqual([true, true, true, true, true]);
  });

  it('trusts nothing else, and nobody without a list', () => {
    expect(['127.0.0.2', '10.2.0.1', '::2', 'not an address', undefined].map(trusted)).toEqual([false, false, false, false, false]);
    expect(createTrustedProxies([])('127.0.0.1')).toBe(false);
  });
});

describe('authenticateConsoleRequest', () => {
  const trusted = createTrustedProxies(['127.0.0.1']);

  it('allows a forwarded email that maps to a person holding console.view (any case)', () => {
    expect(authenticateConsoleRequest(access, trusted, '127.0.0.1', { 'x-forwarded-email': 'Alice@Example.COM' })).toEqual({ outcome: 'allowed', identity: 'email:alice@example.com', person: 'alice' });
    expect(authenticateConsoleRequest(access, trusted, '127.0.0.1', { 'x-forwarded-user': 'carol' })).toEqual({ outcome: 'allowed', identity: 'sso:carol', person: 'carol' });
  });

  it('ignores the headers from a peer that is not a trusted proxy (401)', () => {
    const visitor = authenticateConsoleRequest(access, trusted, '192.0.2.7', { 'x-forwarded-email': 'alice@example.com', 'x-forwarded-user': 'alice' });
    expect(visitor).toMatchObject({ outcome: 'anonymous', reason: expect.stringContaining('server.trustedProxies') });
  });

  it('refuses a trusted request without an identity (401), and a person without console.view (403)', () => {
    expect(authenticateConsoleRequest(access, trusted, '127.0.0.1', {})).toMatchObject({ outcome: 'anonymous' });
    expect(authenticateConsoleRequest(access, trusted, '127.0.0.1', { 'x-forwarded-email': 'bob@example.com' })).toMatchObject({ outcome: 'forbidden', reason: expect.stringContaining('console.view') });
    expect(authenticateConsoleRequest(access, trusted, '127.0.0.1', { 'x-forwarded-email': 'mallory@example.com' })).toMatchObject({ outcome: 'forbidden' });
  });

  it('never takes a chat identity, a repeated header or a malformed value from the proxy', () => {
    expect(readForwardedIdentities({ 'x-forwarded-user': 'slack:U0ALICE' })).toEqual([]);
    expect(readForwardedIdentities({ 'x-forwarded-email': ['alice@example.com', 'bob@example.com'] })).toEqual([]);
    expect(readForwardedIdentities({ 'x-forwarded-email': 'not an email', 'x-forwarded-user': 'a b' })).toEqual([]);
  });
});

describe('console config', () => {
  it('is off by default, and needs trusted proxies when on', () => {
    expect(configSchema.parse({ alertmanager: { token: 'x'.repeat(32) } }).console.enabled).toBe(false);
    const refused = configSchema.safeParse({ alertmanager: { token: 'x'.repeat(32) }, console: { enabled: true } });
    expect(refused.success).toBe(false);
    expect(JSON.stringify(refused.error?.issues)).toContain('server.trustedProxies');
  });
});

describe('config warnings for the console', () => {
  it('warns of a trusted proxy range wide enough to let clients name themselves, only with the console on', async () => {
    const { listConfigWarnings } = await import('../../../src/config/list-config-warnings.js');
    const tree = (enabled: boolean) => configSchema.parse({ alertmanager: { token: 'x'.repeat(32) }, server: { trustedProxies: ['0.0.0.0/0', '10.0.0.0/8', '10.1.2.3', '10.1.0.0/16'] }, console: { enabled } });
    expect(listConfigWarnings(tree(true))).toEqual([expect.stringMatching(/^server\.trustedProxies\[0\]: 0\.0\.0\.0\/0 is trusted/), expect.stringMatching(/^server\.trustedProxies\[1\]: 10\.0\.0\.0\/8/)]);
    expect(listConfigWarnings(tree(false))).toEqual([]);
  });
});
