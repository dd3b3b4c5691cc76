import { describe, expect, it } from 'vitest';
import { escapePromQLString, escapeUrlComponent, MAX_TEMPLATE_INPUT_LENGTH, renderTemplate } from '../../../src/templates/render-template.js';
import { WardenError } from '../../../src/errors/warden-error.js';

const INSTANCE_PATTERN = '^[A-Za-z0-9.:_-]{1,253}$';
const patterns = { 'labels.instance': INSTANCE_PATTERN };
const identity = (value: string) => value;

function rejection(run: () => unknown): WardenError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WardenError);
    expect((error as WardenError).code).toBe('template_input_rejected');
    return error as WardenError;
  }
  throw new Error('expected the template to be rejected');
}

describe('renderTemplate', () => {
  it('replaces every reference, with or without spaces inside the braces', () => {
    const inputs = { 'labels.instance': 'web-1:9100', 'incident.key': 'inc-1' };
    const out = renderTemplate('{{labels.instance}} / {{ labels.instance }} / {{  incident.key }}', inputs, patterns, identity);
    expect(out).toBe('web-1:9100 / web-1:9100 / inc-1');
  });

  it('applies the escaper to each value and leaves the template text alone', () => {
    const out = renderTemplate('a"b {{ labels.x }}', { 'labels.x': 'p"q' }, { 'labels.x': '^.*$' }, escapePromQLString);
    expect(out).toBe('a"b p\\"q');
  });

  it('lets incident.key through without a pattern, but no other input', () => {
    expect(renderTemplate('{{ incident.key }}', { 'incident.key': 'inc-42' }, {}, identity)).toBe('inc-42');
    const error = rejection(() => renderTemplate('{{ incident.title }}', { 'incident.title': 'X' }, {}, identity));
    expect(error.message).toContain('{{ incident.title }} has no pattern');
    expect(error.message).toContain('params');
    const label = rejection(() => renderTemplate('{{ labels.job }}', { 'labels.job': 'api' }, {}, identity));
    expect(label.message).toContain('{{ labels.job }} has no pattern');
  });

  it('rejects a missing label and names it', () => {
    const error = rejection(() => renderTemplate('up{instance="{{ labels.instance }}"}', {}, patterns, identity));
    expect(error.message).toBe('{{ labels.instance }} has no value: the alert has no "instance" label');
  });

  it('rejects unknown inputs, including names found on Object.prototype', () => {
    expect(rejection(() => renderTemplate('{{ constructor }}', {}, { constructor: '^.*$' }, identity)).message).toContain('{{ constructor }} has no value');
    expect(rejection(() => renderTemplate('{{ __proto__ }}', {}, {}, identity)).message).toContain('has no value');
  });

  it('names the input, the pattern and the JSON-escaped value on a mismatch', () => {
    const error = rejection(() => renderTemplate('{{ labels.instance }}', { 'labels.instance': 'web-1\n"x"' }, patterns, identity));
    expect(error.message).toBe(
      `{{ labels.instance }} was rejected: the value "web-1\\n\\"x\\"" does not match the pattern ${INSTANCE_PATTERN} (params.labels.instance)`,
    );
  });

  it('shows a long value truncated and unusual characters as \\u escapes', () => {
    const value = `\u202e${'a'.repeat(200)}`;
    const error = rejection(() => renderTemplate('{{ labels.instance }}', { 'labels.instance': value }, patterns, identity));
    expect(error.message).toContain(`"\\u202e${'a'.repeat(63)}"… (201 characters)`);
    expect(error.message).not.toContain('\u202e');
    expect(error.message.length).toBeLessThan(250);
  });

  it('requires a full match even when the pattern alternates or is not anchored', () => {
    expect(() => renderTemplate('{{ labels.x }}', { 'labels.x': 'web-evil' }, { 'labels.x': '^web|db$' }, identity)).toThrow(WardenError);
    expect(() => renderTemplate('{{ labels.x }}', { 'labels.x': 'web; id' }, { 'labels.x': '[a-z]+' }, identity)).toThrow(WardenError);
    expect(renderTemplate('{{ labels.x }}', { 'labels.x': 'db' }, { 'labels.x': '^web|db$' }, identity)).toBe('db');
  });

  it('refuses values longer than the limit before running the pattern', () => {
    const value = 'a'.repeat(MAX_TEMPLATE_INPUT_LENGTH + 1);
    const error = rejection(() => renderTemplate('{{ labels.x }}', { 'labels.x': value }, { 'labels.x': '^a*$' }, identity));
    expect(error.message).toContain(`longer than ${MAX_TEMPLATE_INPUT_LENGTH} characters`);
  });

  it('reports a pattern that is not a valid regular expression', () => {
    const error = rejection(() => renderTemplate('{{ labels.x }}', { 'labels.x': 'a' }, { 'labels.x': '^([a-z$' }, identity));
    expect(error.message).toContain('not a valid regular expression');
  });

  it('never expands {{ … }} found inside a value', () => {
    const inputs = { 'labels.x': '{{ labels.secret }}', 'labels.secret': 'hunter2' };
    const lax = { 'labels.x': '^.*$', 'labels.secret': '^.*$' };
    expect(renderTemplate('[{{ labels.x }}]', inputs, lax, identity)).toBe('[{{ labels.secret }}]');
    expect(renderTemplate('{{ labels.x }}', inputs, lax, escapeUrlComponent)).toBe('%7B%7B%20labels.secret%20%7D%7D');
  });

  describe('injection attempts in label values', () => {
    const attempts = [
      '; rm -rf /',
      '$(id)',
      '`id`',
      'web-1\nrm -rf /',
      '../../etc/passwd',
      '"} or vector(1) #',
      '{{ labels.x }}',
      'web-1 && curl http://127.0.0.1:1/x',
      'web-1\u0000',
    ];

    it.each(attempts)('rejects %j with the usual instance pattern', (value) => {
      const error = rejection(() => renderTemplate('http://{{ labels.instance }}/healthz', { 'labels.instance': value }, patterns, escapeUrlComponent));
      expect(error.message).toContain('does not match the pattern');
      expect(error.message).toContain(JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    });

    it.each(attempts)('keeps %j inside the PromQL string when a lax pattern lets it through', (value) => {
      const query = renderTemplate('up{instance="{{ labels.x }}"}', { 'labels.x': value }, { 'labels.x': '^[\\s\\S]*$' }, escapePromQLString);
      const inner = query.slice('up{instance="'.length, -'"}'.length);
      // Every double quote inside is escaped, and no raw newline survives.
      expect(inner).not.toMatch(/(^|[^\\])(\\\\)*"/);
      expect(inner).not.toMatch(/[\n\r\u0000]/);
    });

    it.each(attempts)('keeps %j inside one URL component when a lax pattern lets it through', (value) => {
      const url = new URL(renderTemplate('http://127.0.0.1:8080/hosts/{{ labels.x }}/health?q=1', { 'labels.x': value }, { 'labels.x': '^[\\s\\S]*$' }, escapeUrlComponent));
      expect(url.host).toBe('127.0.0.1:8080');
      expect(url.pathname.split('/')).toHaveLength(4);
      expect(url.pathname.startsWith('/hosts/')).toBe(true);
      expect(url.pathname.endsWith('/health')).toBe(true);
      expect(url.search).toBe('?q=1');
      expect(decodeURIComponent(url.pathname.split('/')[2]!)).toBe(value);
    });
  });
});

describe('escapePromQLString', () => {
  it('escapes backslashes, quotes and control characters', () => {
    expect(escapePromQLString('a\\b"c\nd\te\r\u0001')).toBe('a\\\\b\\"c\\nd\\te\\r\\u0001');
  });

  it('cannot be closed by a trailing backslash', () => {
    expect(escapePromQLString('x\\')).toBe('x\\\\');
  });

  it('leaves ordinary values unchanged', () => {
    expect(escapePromQLString("web-1:9100 'single' `tick` ünï")).toBe("web-1:9100 'single' `tick` ünï");
  });
});

describe('escapeUrlComponent', () => {
  it('keeps host:port usable in the authority', () => {
    const url = new URL(renderTemplate('http://{{ labels.instance }}/healthz', { 'labels.instance': 'web-1:9100' }, patterns, escapeUrlComponent));
    expect(url.host).toBe('web-1:9100');
    expect(url.pathname).toBe('/healthz');
  });

  it('cannot add credentials, a path or a query to the authority', () => {
    for (const value of ['evil@web-1', 'web-1/admin', 'web-1?x=1', 'web-1#x']) {
      expect(() => new URL(renderTemplate('http://{{ labels.x }}/healthz', { 'labels.x': value }, { 'labels.x': '^.*$' }, escapeUrlComponent))).toThrow(TypeError);
    }
  });

  it('rejects "." and ".." which URL parsers would resolve', () => {
    for (const value of ['.', '..']) {
      const error = rejection(() => renderTemplate('http://h/a/{{ labels.x }}/b', { 'labels.x': value }, { 'labels.x': '^[.]+$' }, escapeUrlComponent));
      expect(error.message).toContain('{{ labels.x }} was rejected');
      expect(error.message).toContain('would change the URL path');
    }
  });
});
