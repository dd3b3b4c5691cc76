import { describe, expect, it } from 'vitest';
import { createResultScrubber } from '../../../src/observability/create-result-scrubber.js';
import { createSecretScrubber, REDACTED } from '../../../src/observability/scrub-secrets.js';

// Characters that every encoding writes differently.
const SECRET = 'c4n4ry+/= "q"&<x>\'é\\z';

describe('createSecretScrubber with encoded echoes', () => {
  const scrub = createSecretScrubber([SECRET]);

  it.each([
    ['as it is', SECRET],
    ['encodeURIComponent', encodeURIComponent(SECRET)],
    ['lower-case percent-encoding', encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())],
    ['a form body', new URLSearchParams({ v: SECRET }).toString().slice(2)],
    ['a URL query as fetch sends it', new URL(`http://h/?${SECRET}`).search.slice(1)],
    ['JSON', JSON.stringify(SECRET).slice(1, -1)],
    ['JSON inside JSON', JSON.stringify(JSON.stringify(SECRET)).slice(2, -2)],
    ['JSON with escaped slashes', JSON.stringify(SECRET).slice(1, -1).replace(/\//g, '\\/')],
    ['JSON with \\u escapes (Go, Python)', 'c4n4ry+/= \\"q\\"\\u0026\\u003cx\\u003e\\u0027\\u00e9\\\\z'],
    ['HTML', 'c4n4ry+/= &quot;q&quot;&amp;&lt;x&gt;&#39;é\\z'],
  ])('removes the secret echoed %s', (_name, echoed) => {
    const output = scrub(`{"echo":"${echoed}"} then ${echoed}.`);
    expect(output).not.toContain(echoed);
    expect(output.split(REDACTED)).toHaveLength(3);
  });

  it('leaves text without the secret unchanged', () => {
    const text = 'c4n4ry+ and %22q%22 and &quot;q&quot;';
    expect(scrub(text)).toBe(text);
  });
});

describe('createResultScrubber', () => {
  const scrub = createResultScrubber(['env-canary-0001']);

  it('masks JSON members named like secrets, keeping their names', () => {
    const body = JSON.stringify({ headers: { authorization: 'Bearer zzzz', 'x-api-key': 'unknown-1', cookie: 'a=b' }, apiKey: 'unknown-2', password: 42, user: 'ann' });
    const output = scrub(body);
    expect(output).not.toMatch(/zzzz|unknown-1|unknown-2|a=b|42/);
    expect(JSON.parse(output)).toEqual({
      headers: { authorization: REDACTED, 'x-api-key': REDACTED, cookie: REDACTED },
      apiKey: REDACTED,
      password: REDACTED,
      user: 'ann',
    });
  });

  it('masks members of a JSON body echoed as a string, and one cut off at the end', () => {
    const echoed = JSON.stringify({ body: JSON.stringify({ clientSecret: 'unknown-3', n: 1 }) });
    expect(scrub(echoed)).not.toContain('unknown-3');
    expect(scrub('{"a":1,"refresh_token":"unknown-4-and-then-cut')).toBe(`{"a":1,"refresh_token":"${REDACTED}"`);
  });

  it('masks header lines and query or form parameters named like secrets', () => {
    const raw = 'POST /x?api_key=unknown-5&page=2 HTTP/1.1\nX-Auth-Token: unknown-6\nSet-Cookie: s=unknown-7; HttpOnly\nAccept: */*\n\npassword=unknown-8&user=ann';
    const output = scrub(raw);
    expect(output).not.toMatch(/unknown-[5-8]/);
    expect(output).toContain('page=2');
    expect(output).toContain('Accept: */*');
    expect(output).toContain('user=ann');
  });

  it('removes known secrets wherever they are, whatever their field is called', () => {
    expect(scrub('{"note":"env-canary-0001"} env-canary-0001')).toBe(`{"note":"${REDACTED}"} ${REDACTED}`);
  });

  it('leaves ordinary results alone', () => {
    for (const text of ['HTTP 400 in 12 ms: {"error":"bad request","author":"ann"}', 'exited 0 in 1.2 s: blocked 10.0.0.7', 'HTTP 503 (expected 2xx): maintenance']) {
      expect(scrub(text)).toBe(text);
    }
  });
});
