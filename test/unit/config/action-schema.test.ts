import { describe, expect, it } from 'vitest';
import { actionSchema } from '../../../src/config/action-schema.js';
import { formatConfigPath } from '../../../src/config/format-config-path.js';

const base = { phase: 'analyze', title: 'Check' } as const;

/** Each problem as `path: message`, or [] when the action is valid. */
function problems(action: unknown): string[] {
  const result = actionSchema.safeParse(action);
  if (result.success) return [];
  // A bad record key carries its own schema's message inside (loadConfig shows that one too).
  return result.error.issues.map((issue) => `${formatConfigPath(issue.path)}: ${issue.code === 'invalid_key' ? issue.issues[0]?.message : issue.message}`);
}

describe('actionSchema', () => {
  it('accepts each kind and fills in the defaults', () => {
    const http = actionSchema.parse({ ...base, kind: 'http', request: { url: 'https://fw.example/api' } });
    expect(http).toEqual({ ...base, kind: 'http', destructive: false, params: {}, timeoutSeconds: 10, request: { method: 'POST', url: 'https://fw.example/api', headers: {} } });
    const exec = actionSchema.parse({ ...base, kind: 'exec', argv: ['/usr/bin/true'], destructive: true });
    expect(exec).toMatchObject({ kind: 'exec', destructive: true, argv: ['/usr/bin/true'] });
    const prometheus = actionSchema.parse({ ...base, kind: 'prometheus', url: 'http://127.0.0.1:9090', query: 'up', threshold: 0.5 });
    expect(prometheus).toMatchObject({ kind: 'prometheus', threshold: 0.5 });
    const check = actionSchema.parse({ ...base, kind: 'http-check', url: 'http://127.0.0.1:8080/healthz', expectStatus: [200, 204] });
    expect(check).toMatchObject({ kind: 'http-check', method: 'GET', expectStatus: [200, 204] });
  });

  it('names the kinds when the kind is unknown or missing', () => {
    expect(problems({ ...base, kind: 'shell', command: 'reboot' })).toEqual(['kind: kind must be one of http, exec, prometheus, http-check, queue, tls-expiry, disk-usage, file-mode, newest-file-age, process-user, audit-count, redis-config, self-audit']);
    expect(problems({ ...base })).toEqual(['kind: kind must be one of http, exec, prometheus, http-check, queue, tls-expiry, disk-usage, file-mode, newest-file-age, process-user, audit-count, redis-config, self-audit']);
  });

  it('refuses unknown keys, bad phases, long titles and long timeouts', () => {
    const found = problems({ kind: 'http-check', phase: 'triage', title: 'x'.repeat(76), url: 'http://h/', timeoutSeconds: 601, retries: 3 });
    expect(found.map((p) => p.split(':')[0]).sort()).toEqual(['(top level)', 'phase', 'timeoutSeconds', 'title']);
  });

  it.each([
    ['a relative program', ['queuectl', 'pause']],
    ['a program found through a template', ['{{ labels.tool }}', 'pause']],
    ['an absolute path with a template', ['/usr/local/bin/{{ labels.tool }}']],
  ])('refuses exec with %s as argv[0]', (_name, argv) => {
    const found = problems({ ...base, kind: 'exec', argv, params: { 'labels.tool': '^[a-z]{1,16}$' } });
    expect(found).toEqual(['argv: argv[0] must be an absolute program path without templates (e.g. "/usr/local/bin/queuectl")']);
  });

  it('refuses exec without a program', () => {
    const found = problems({ ...base, kind: 'exec', argv: [] });
    expect(found.length).toBeGreaterThan(0);
    for (const problem of found) expect(problem).toMatch(/^argv: /);
  });

  it('refuses a Prometheus URL that is not http or https', () => {
    expect(problems({ ...base, kind: 'prometheus', url: 'file:///etc/passwd', query: 'up' })).toEqual(['url: must be an http:// or https:// URL']);
  });

  describe('template inputs', () => {
    const pattern = '^[A-Za-z0-9._:-]{1,253}$';

    it('requires a params pattern for a label input', () => {
      const action = { ...base, kind: 'exec', argv: ['/usr/local/bin/queuectl', 'pause', '{{ labels.queue }}'] };
      const found = problems(action);
      expect(found).toEqual([
        "params: the template uses {{ labels.queue }} but params has no pattern for it (every input except incident.key needs one); add params: { labels.queue: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,252}$' } (or tighter)",
      ]);
      expect(problems({ ...action, params: { 'labels.queue': '^[a-z0-9-]{1,64}$' } })).toEqual([]);
    });

    it.each(['incident.title', 'incident.severity'])('requires a params pattern for %s too', (input) => {
      const action = { ...base, kind: 'http-check', url: `http://127.0.0.1/check?what={{${input}}}` };
      const found = problems(action);
      expect(found).toHaveLength(1);
      expect(found[0]).toContain(`the template uses {{ ${input} }} but params has no pattern for it`);
      expect(found[0]).toContain(`add params: { ${input}:`);
      expect(problems({ ...action, params: { [input]: pattern } })).toEqual([]);
    });

    it('lets incident.key go without a pattern', () => {
      const action = { ...base, kind: 'http', request: { url: 'https://fw.example/api', body: { incident: '{{ incident.key }}' } } };
      expect(problems(action)).toEqual([]);
    });

    it('finds inputs in request bodies, headers and URLs, each reported once', () => {
      const action = {
        ...base,
        kind: 'http',
        request: {
          url: 'https://fw.example/{{ labels.instance }}',
          headers: { 'X-Severity': '{{incident.severity}}' },
          body: { hosts: ['{{ labels.instance }}', { nested: '{{ labels.zone }}' }] },
        },
      };
      const found = problems(action);
      expect(found.map((p) => /\{\{ (\S+) \}\}/.exec(p)?.[1]).sort()).toEqual(['incident.severity', 'labels.instance', 'labels.zone']);
    });

    it('says which names a template may use when it uses another', () => {
      const found = problems({ ...base, kind: 'http-check', url: 'http://127.0.0.1/{{ alert.fingerprint }}' });
      expect(found).toEqual([
        'params: the template uses {{ alert.fingerprint }}, which is not an input; templates may use labels.<name>, incident.key, incident.severity or incident.title',
      ]);
    });

    it('refuses params keys that are not template inputs', () => {
      const found = problems({ ...base, kind: 'http-check', url: 'http://127.0.0.1/', params: { instance: pattern, 'incident.id': pattern } });
      expect(found).toEqual(['params.instance: must be labels.<name> or incident.<field>', 'params.incident.id: must be labels.<name> or incident.<field>']);
    });

    it.each([
      ['unanchored', '[a-z]+'],
      ['anchored only at the start', '^[a-z]+'],
      ['anchored only at the end', '[a-z]+$'],
      ['not a regular expression', '^([a-z]+$'],
    ])('refuses a pattern that is %s', (_name, source) => {
      const found = problems({ ...base, kind: 'http-check', url: 'http://h/{{ labels.x }}', params: { 'labels.x': source } });
      expect(found).toEqual(['params.labels.x: must be a valid regular expression anchored with ^ and $ (e.g. "^[a-z0-9][a-z0-9-]{0,63}$")']);
    });
  });
});
