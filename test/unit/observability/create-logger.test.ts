import { describe, expect, it } from 'vitest';
import { WardenError } from '../../../src/errors/warden-error.js';
import { createLogger } from '../../../src/observability/create-logger.js';

const SIGNING_SECRET = '8f14e45fceea167a5a36dedd4bea2543';
const WEBHOOK_TOKEN = 'wh-0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const BOT_TOKEN = 'xoxb-1111-2222-AbCdEfGhIjKlMnOp';
const LARK_SECRET = 'lark-app-secret-Zy98Xw76';
const REDIS_PASSWORD = 'hunter2';

function capture(level = 'info') {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    secrets: [SIGNING_SECRET, WEBHOOK_TOKEN, BOT_TOKEN, LARK_SECRET],
    destination: { write: (line: string) => void lines.push(line) },
  });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records, text: () => lines.join('') };
}

function expectNoSecrets(text: string, extra: string[] = []) {
  for (const secret of [SIGNING_SECRET, WEBHOOK_TOKEN, BOT_TOKEN, LARK_SECRET, `:${REDIS_PASSWORD}@`, ...extra]) {
    expect(text).not.toContain(secret);
  }
}

describe('createLogger', () => {
  it('writes JSON lines with ordinary fields intact', () => {
    const { logger, records } = capture();
    logger.info({ incident: 'inc-3f9a1c2b7d4e', queue: 'notify', attempts: 2 }, 'card sent');
    expect(records()).toEqual([
      expect.objectContaining({ level: 30, incident: 'inc-3f9a1c2b7d4e', queue: 'notify', attempts: 2, msg: 'card sent' }),
    ]);
  });

  it('replaces the values of secret fields at the usual paths and at any depth', () => {
    const { logger, records, text } = capture();
    logger.info(
      {
        req: { method: 'POST', url: '/webhooks/alertmanager', headers: { authorization: `Bearer ${WEBHOOK_TOKEN}`, cookie: 'sid=abcdef123456', 'x-slack-signature': 'v0=deadbeefcafe' } },
        headers: { authorization: 'Basic b3BzOnRvcHNlY3JldA==', 'x-lark-signature': 'c2lnbmF0dXJlLXZhbHVl' },
        config: {
          slack: { botToken: 'xoxb-9-9-unknownToken', appToken: 'xapp-1-unknown', signingSecret: 'unknown-signing-value' },
          lark: { appId: 'cli_a1b2c3', appSecret: 'unknown-app-secret', encryptKey: 'unknown-encrypt-key', verificationToken: 'unknown-verif' },
          audit: { hmacKey: 'unknown-hmac-key-material' },
          deep: { er: { still: { password: 'deep-password-value' } } },
        },
        token: 'plain-token-value',
        secret: 'plain-secret-value',
        target: { 'x-api-key': 'unknown-api-key-1', apiKey: 'unknown-api-key-2', access_key: 'unknown-access-key', privateKey: 'unknown-private-key', credentials: 'unknown-credentials' },
        console: { slackSignIn: { sessionKey: 'unknown-session-key' } },
        key: 'inc-0123456789ab',
      },
      'request received',
    );
    const output = text();
    // An incident's key is no secret.
    expect(output).toContain('inc-0123456789ab');
    for (const value of ['unknown-api-key-1', 'unknown-api-key-2', 'unknown-access-key', 'unknown-private-key', 'unknown-credentials', 'unknown-session-key', 'unknownToken', 'xapp-1-unknown', 'unknown-signing-value', 'unknown-app-secret', 'unknown-encrypt-key', 'unknown-verif', 'unknown-hmac-key-material', 'deep-password-value', 'plain-token-value', 'plain-secret-value', 'sid=abcdef', 'deadbeefcafe', 'b3BzOnRvcHNlY3JldA', 'c2lnbmF0dXJlLXZhbHVl']) {
      expect(output).not.toContain(value);
    }
    expectNoSecrets(output);
    const [record] = records();
    expect(record).toMatchObject({
      req: { method: 'POST', url: '/webhooks/alertmanager', headers: { authorization: '[redacted]' } },
      config: { lark: { appId: 'cli_a1b2c3', appSecret: '[redacted]' }, deep: { er: { still: { password: '[redacted]' } } } },
      msg: 'request received',
    });
  });

  it('scrubs secrets out of error messages and stacks, including credentialed URLs and tokens', () => {
    const { logger, records, text } = capture();
    const error = new Error(`connect ECONNREFUSED redis://:${REDIS_PASSWORD}@redis.internal:6379`);
    logger.error({ err: error }, 'redis unavailable');
    logger.error(new Error('invalid token xoxb-5555-6666-NotInTheSecretList'));
    const output = text();
    expectNoSecrets(output, ['NotInTheSecretList']);
    const [first, second] = records();
    expect(first).toMatchObject({
      msg: 'redis unavailable',
      err: { type: 'Error', message: 'connect ECONNREFUSED redis://[redacted]@redis.internal:6379' },
    });
    expect((first?.err as { stack: string }).stack).toMatch(/^Error: connect ECONNREFUSED redis:\/\/\[redacted\]@redis\.internal:6379\n\s+at /);
    // An Error logged on its own becomes the message as well: scrubbed there too.
    expect(second).toMatchObject({ msg: 'invalid token [redacted]', err: { message: 'invalid token [redacted]' } });
  });

  it('scrubs every error along a cause chain and the error\'s own properties', () => {
    const { logger, records, text } = capture();
    const root = new Error(`signature check failed with ${SIGNING_SECRET}`);
    const middle = new TypeError(`fetch https://bot:${LARK_SECRET}@open.feishu.cn failed`, { cause: root });
    const top = new WardenError('chat_unavailable', 'slack API unavailable', { cause: middle, retryable: true });
    Object.assign(top, { request: { url: 'https://slack.com/api/chat.update?token=abc123', headers: { Authorization: `Bearer ${BOT_TOKEN}` } } });
    logger.warn({ err: top }, 'send failed');
    expectNoSecrets(text(), ['abc123']);
    const [record] = records();
    expect(record?.err).toMatchObject({
      type: 'WardenError',
      code: 'chat_unavailable',
      message: 'slack API unavailable',
      request: { url: 'https://slack.com/api/chat.update?token=[redacted]', headers: { Authorization: '[redacted]' } },
      cause: {
        type: 'TypeError',
        message: 'fetch https://[redacted]@open.feishu.cn failed',
        cause: { type: 'Error', message: 'signature check failed with [redacted]' },
      },
    });
  });

  it('serialises and scrubs errors that are not under `err`', () => {
    const { logger, records } = capture();
    logger.error({ failures: [new Error(`bad ${WEBHOOK_TOKEN}`)], probe: { error: new RangeError('t-g1044ghJRUIJJ5ELJFHVKAKE4RVMMNN5BQP7BZ6') } }, 'probes failed');
    expect(records()[0]).toMatchObject({
      failures: [{ type: 'Error', message: 'bad [redacted]' }],
      probe: { error: { type: 'RangeError', message: '[redacted]' } },
    });
  });

  it('scrubs interpolated messages and URL objects', () => {
    const { logger, records, text } = capture();
    logger.info({ target: new URL(`https://ops:${REDIS_PASSWORD}@firewall.internal/api?key=k-123`) }, 'calling %s with %s', 'redis://:pw-98765@r:6379', `Bearer ${WEBHOOK_TOKEN}`);
    expectNoSecrets(text(), ['pw-98765', 'k-123']);
    expect(records()[0]).toMatchObject({
      target: 'https://[redacted]@firewall.internal/api?key=[redacted]',
      msg: 'calling redis://[redacted]@r:6379 with Bearer [redacted]',
    });
  });

  it('keeps redaction in child and grandchild loggers, including their bindings', () => {
    const { logger, records, text } = capture();
    const child = logger.child({ component: 'notify', redisUrl: `redis://:${REDIS_PASSWORD}@r:6379`, botToken: BOT_TOKEN });
    const grandchild = child.child({ destination: 'slack:C0SECURITY', appSecret: 'grandchild-app-secret' });
    grandchild.info({ headers: { authorization: `Bearer ${WEBHOOK_TOKEN}` } }, `posted with ${SIGNING_SECRET}`);
    grandchild.error(new Error(`token ${BOT_TOKEN} revoked`));
    child.setBindings({ lastError: `xoxp-7-8-9-setBindingsToken` });
    child.info('after setBindings');
    expectNoSecrets(text(), ['grandchild-app-secret', 'setBindingsToken']);
    const [first, second, third] = records();
    expect(first).toMatchObject({
      component: 'notify',
      redisUrl: 'redis://[redacted]@r:6379',
      destination: 'slack:C0SECURITY',
      headers: { authorization: '[redacted]' },
      msg: 'posted with [redacted]',
    });
    expect(second).toMatchObject({ component: 'notify', err: { message: 'token [redacted] revoked' } });
    expect(third).toMatchObject({ lastError: '[redacted]', msg: 'after setBindings' });
  });

  it('does not modify the objects it logs', () => {
    const { logger, lines } = capture();
    const fields = { token: 'abc', nested: { url: `redis://:${REDIS_PASSWORD}@h` }, err: new Error(`x ${BOT_TOKEN}`) };
    logger.info(fields, 'hello');
    expect(lines).toHaveLength(1);
    expect(fields.token).toBe('abc');
    expect(fields.nested.url).toBe(`redis://:${REDIS_PASSWORD}@h`);
    expect(fields.err).toBeInstanceOf(Error);
    expect(fields.err.message).toBe(`x ${BOT_TOKEN}`);
  });

  it('logs circular structures without throwing', () => {
    const { logger, records } = capture();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    logger.info({ loop }, 'circular');
    expect(records()[0]).toMatchObject({ loop: { name: 'loop', self: '[Circular]' }, msg: 'circular' });
  });

  it('drops the fields of a line it cannot read rather than throwing or leaking', () => {
    const { logger, records, text } = capture();
    const hostile = { get boom(): string { throw new Error(`getter with ${SIGNING_SECRET}`); } };
    expect(() => logger.info({ hostile, visible: 'x' }, 'still logged')).not.toThrow();
    expectNoSecrets(text());
    expect(records()[0]).toMatchObject({ msg: 'still logged', logFieldsDropped: expect.any(String) });
  });

  it('honours the level and rejects an unknown one with a helpful error', () => {
    const { logger, records } = capture('warn');
    logger.info('hidden');
    logger.warn('shown');
    expect(records().map((r) => r.msg)).toEqual(['shown']);
    expect(() => createLogger({ level: 'verbose' })).toThrow(WardenError);
    expect(() => createLogger({ level: 'toString' })).toThrow(/LOG_LEVEL "toString" is not a log level/);
  });
});
