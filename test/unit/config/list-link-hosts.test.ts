import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.js';
import { listLinkHosts } from '../../../src/config/list-link-hosts.js';

const base = { alertmanager: { token: 'a'.repeat(32) } };

describe('cards.linkHosts', () => {
  it('adds the configured Prometheus actions\' hosts to the named ones', () => {
    const config = configSchema.parse({
      ...base,
      cards: { linkHosts: ['wiki.example.com', '*.corp.example'] },
      actions: {
        'error-rate': { kind: 'prometheus', phase: 'analyze', title: 'Error rate', url: 'http://prometheus.example.com:9090', query: 'up' },
        health: { kind: 'http-check', phase: 'analyze', title: 'Health', url: 'http://api.example.com/healthz' },
      },
    });
    expect(listLinkHosts(config)).toEqual(['wiki.example.com', '*.corp.example', 'prometheus.example.com:9090']);
  });

  it('refuses what is not a host', () => {
    for (const bad of ['https://wiki.example.com', 'wiki.example.com/path', '*', 'a b', '*.']) {
      expect(configSchema.safeParse({ ...base, cards: { linkHosts: [bad] } }).success, bad).toBe(false);
    }
    expect(configSchema.parse({ ...base, cards: { linkHosts: ['[::1]:9090', 'prom:9090'] } }).cards.linkHosts).toEqual(['[::1]:9090', 'prom:9090']);
  });
});
