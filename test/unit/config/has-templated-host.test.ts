import { describe, expect, it } from 'vitest';
import { hasTemplatedHost } from '../../../src/config/has-templated-host.js';

describe('hasTemplatedHost', () => {
  it('is true when a template can choose the scheme, host or port', () => {
    for (const url of [
      'http://{{ labels.instance }}/healthz',
      'https://web-{{ labels.n }}.example.com/',
      'http://web-1.example.com:{{ labels.port }}/',
      'http://user:{{ labels.p }}@web-1/',
      '{{ labels.url }}',
      'http{{ labels.s }}://web-1/',
      ' http:{{ labels.rest }}',
    ]) {
      expect(hasTemplatedHost(url), url).toBe(true);
    }
  });

  it('is false when templates fill only the path, query or fragment', () => {
    for (const url of ['https://fw.example.com/api/isolate', 'https://fw.example.com/hosts/{{ labels.instance }}', 'HTTP://fw.example.com?host={{ labels.instance }}', 'http://127.0.0.1:8080#{{ incident.key }}']) {
      expect(hasTemplatedHost(url), url).toBe(false);
    }
  });
});
