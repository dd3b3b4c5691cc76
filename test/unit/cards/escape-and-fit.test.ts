import { describe, expect, it } from 'vitest';
import { escapeLarkMarkdown } from '../../../cards/escape-lark-markdown.js';
import { escapeSlackMrkdwn, formatSlackLink } from '../../../cards/escape-slack-mrkdwn.js';
import { fitText, truncateText } from '../../../cards/fit-text.js';
import { formatUtcTime } from '../../../src/shared/format-utc-time.js';
import { toSafeUrl } from '../../../cards/safe-url.js';
import { decodeLarkEntities } from './card-test-helpers.js';

describe('truncateText', () => {
  it('leaves short text alone and cuts long text at a word boundary with an ellipsis', () => {
    expect(truncateText('short text', 20)).toBe('short text');
    expect(truncateText('alpha beta gamma delta', 13)).toBe('alpha beta…');
    expect(truncateText('abcdefghijklmnopqrstuvwxyz', 10)).toBe('abcdefghi…');
    expect(truncateText('anything', 0)).toBe('');
  });

  it('never splits a surrogate pair', () => {
    const cut = truncateText('😀😀😀😀😀😀', 6);
    expect(cut.length).toBeLessThanOrEqual(6);
    expect(cut).toBe('😀😀…');
  });
});

describe('fitText', () => {
  it('shortens before escaping so an entity is never cut in half', () => {
    const fitted = fitText('a<b '.repeat(100), 50, escapeSlackMrkdwn);
    expect(fitted.length).toBeLessThanOrEqual(50);
    expect(fitted).toMatch(/^(a&lt;b )*a&lt;b…$/);
  });
});

describe('escapeSlackMrkdwn', () => {
  it('escapes &, < and > and neutralises formatting characters', () => {
    expect(escapeSlackMrkdwn('<!channel> & <@U123>')).toBe('&lt;!channel&gt; &amp; &lt;@U123&gt;');
    expect(escapeSlackMrkdwn('*bold* ~x~ `c`')).toBe('\u200b*bold\u200b* \u200b~x\u200b~ \u200b`c\u200b`');
    expect(escapeSlackMrkdwn('node_exporter')).toBe('node_exporter');
    expect(escapeSlackMrkdwn('> quote')).toBe('\u200b&gt; quote');
  });

  it('builds links whose label cannot break out', () => {
    expect(formatSlackLink('https://a.example/?x=1&y=2', '<b>|x')).toBe('<https://a.example/?x=1&amp;y=2|&lt;b&gt;|x>');
  });
});

describe('escapeLarkMarkdown', () => {
  it('turns markup characters into character references that decode to the same text', () => {
    const raw = '<at id=all></at> [x](http://evil) *bold* ~~s~~ `c` # h';
    const escaped = escapeLarkMarkdown(raw);
    expect(escaped).not.toMatch(/[<>[\]()*~`]/);
    expect(escaped.startsWith('&#60;at id=all&#62;')).toBe(true);
    expect(decodeLarkEntities(escaped)).toBe(raw);
    expect(escapeLarkMarkdown('# title\n- item\n1. first')).toBe('&#35; title\n&#45; item\n1&#46; first');
    expect(escapeLarkMarkdown('web-1 node_exporter')).toBe('web-1 node_exporter');
  });
});

describe('toSafeUrl', () => {
  it('accepts http(s) only, without credentials, and encodes link-breaking characters', () => {
    expect(toSafeUrl('https://runbooks.example/a b')).toBe('https://runbooks.example/a%20b');
    expect(toSafeUrl('http://x.example/p|q(r)')).toBe('http://x.example/p%7Cq%28r%29');
    expect(toSafeUrl('http://x.example/<script>')).toBe('http://x.example/%3Cscript%3E');
    for (const bad of ['javascript:alert(1)', 'ftp://x', 'not a url', '', '   ', undefined, 'https://u:p@x.example/']) {
      expect(toSafeUrl(bad)).toBeUndefined();
    }
  });
});

describe('formatUtcTime', () => {
  it('formats to the minute in UTC', () => {
    expect(formatUtcTime(Date.parse('2026-11-20T10:07:59.999Z'))).toBe('2026-11-20 10:07 UTC');
    expect(formatUtcTime(Number.NaN)).toBe('unknown time');
  });
});
