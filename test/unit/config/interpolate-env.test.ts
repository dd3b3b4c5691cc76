import { describe, expect, it } from 'vitest';
import { interpolateEnv } from '../../../src/config/interpolate-env.js';

describe('interpolateEnv', () => {
  it('replaces whole references and remembers which variable each key came from', () => {
    const result = interpolateEnv({ server: { host: '${HOST}' }, routes: [{ to: ['${DEST}'] }] }, { HOST: '0.0.0.0', DEST: 'slack:C0SEC' });
    expect(result.value).toEqual({ server: { host: '0.0.0.0' }, routes: [{ to: ['slack:C0SEC'] }] });
    expect(result.references).toEqual(new Map([['server.host', 'HOST'], ['routes[0].to[0]', 'DEST']]));
    expect(result.issues).toEqual([]);
  });

  it('drops a key whose whole reference is unset or empty, without an issue', () => {
    const result = interpolateEnv({ slack: { apiUrl: '${SLACK_API_URL}', botToken: '${SLACK_BOT_TOKEN}' }, keep: 'x' }, { SLACK_BOT_TOKEN: '' });
    expect(result.value).toEqual({ slack: {}, keep: 'x' });
    expect(result.references.get('slack.apiUrl')).toBe('SLACK_API_URL');
    expect(result.references.get('slack.botToken')).toBe('SLACK_BOT_TOKEN');
    expect(result.issues).toEqual([]);
  });

  it('substitutes every reference inside a longer string and reports each unset one', () => {
    const env = { A: 'alpha', B: 'beta' };
    expect(interpolateEnv({ s: '${A}-${B}/${A}' }, env).value).toEqual({ s: 'alpha-beta/alpha' });
    const result = interpolateEnv({ audit: { file: '${DIR}/${A}-${SITE}.jsonl' } }, env);
    expect(result.issues).toEqual([
      { path: ['audit', 'file'], message: 'uses ${DIR}, which is not set; export DIR or remove the key' },
      { path: ['audit', 'file'], message: 'uses ${SITE}, which is not set; export SITE or remove the key' },
    ]);
  });

  it('inserts values once: a reference inside a value is not expanded again', () => {
    expect(interpolateEnv({ s: 'x${A}' }, { A: '${B}', B: 'no' }).value).toEqual({ s: 'x${B}' });
  });

  it('leaves numbers, booleans, null, malformed references and plain text alone', () => {
    const tree = { n: 3, b: false, z: null, odd: '${1ABC} ${} $HOME {{ labels.x }}', list: [1, 'two'] };
    const result = interpolateEnv(tree, { HOME: '/root', '1ABC': 'no' });
    expect(result.value).toEqual(tree);
    expect(result.issues).toEqual([]);
  });

  it('refuses literal secrets at the secret keys, naming the variable, and drops them', () => {
    const result = interpolateEnv(
      { alertmanager: { token: 'literal' }, lark: { verificationToken: 'x${V}' }, server: { host: 'literal' } },
      { V: 'set' },
    );
    expect(result.value).toEqual({ alertmanager: {}, lark: {}, server: { host: 'literal' } });
    expect(result.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['alertmanager.token', 'secrets must come from the environment, not the file: write ${WARDEN_WEBHOOK_TOKEN} here and export WARDEN_WEBHOOK_TOKEN'],
      ['lark.verificationToken', 'secrets must come from the environment, not the file: write ${LARK_VERIFICATION_TOKEN} here and export LARK_VERIFICATION_TOKEN'],
    ]);
  });

  it('treats secret-looking headers of actions as secrets, and only those', () => {
    const headers = { Authorization: 'Bearer a', Cookie: 'c=1', 'X-Auth-Token': 't', 'x-api_key': 'k', Accept: 'application/json' };
    const result = interpolateEnv({ actions: { fw: { request: { headers } } } }, {});
    expect(result.issues.map((i) => i.path.at(-1))).toEqual(['Authorization', 'Cookie', 'X-Auth-Token', 'x-api_key']);
    expect(result.value).toEqual({ actions: { fw: { request: { headers: { Accept: 'application/json' } } } } });
    // A header of that name elsewhere is not a secret key.
    expect(interpolateEnv({ other: { request: { headers: { Authorization: 'x' } } } }, {}).issues).toEqual([]);
  });
});
