import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/load-config.js';
import { listSecrets } from '../../../src/config/list-secrets.js';
import { createConfigFileLoader } from '../../support/create-config-file-loader.js';
import { randomSecret } from '../../support/test-redis.js';

const env = {
  WARDEN_WEBHOOK_TOKEN: randomSecret(40),
  LARK_APP_SECRET: `lark-app-secret-${randomSecret(24)}`,
  WARDEN_CONSOLE_SESSION_KEY: randomSecret(40),
  SHORT_SESSION_KEY: 'short-key-of-31-characters-xxxx',
};
const HEAD = 'alertmanager:\n  token: ${WARDEN_WEBHOOK_TOKEN}\n';

/** A `console` block with Lark sign-in, each key replaceable (`undefined` leaves it out). */
function larkSignIn(keys: Record<string, string | undefined> = {}, enabled = true): string {
  const all: Record<string, string | undefined> = {
    appId: 'cli_a1b2c3d4e5f60718',
    appSecret: '${LARK_APP_SECRET}',
    redirectUrl: 'https://warden.example.com/console/auth/lark/callback',
    sessionKey: '${WARDEN_CONSOLE_SESSION_KEY}',
    ...keys,
  };
  const lines = Object.entries(all).flatMap(([key, value]) => (value === undefined ? [] : [`    ${key}: ${value}`]));
  return `${HEAD}console:\n  enabled: ${enabled}\n  larkSignIn:\n${lines.join('\n')}\n`;
}

const load = createConfigFileLoader(env);

/** The refusal of a configuration; its message must never show the Lark app secret. */
function refusal(yaml: string): ConfigError {
  try {
    load(yaml);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).not.toContain(env.LARK_APP_SECRET);
    return error as ConfigError;
  }
  throw new Error('expected the configuration to be refused');
}

describe('console.larkSignIn', () => {
  it('is a way to sign in on its own, with defaults, and its secrets are masked', () => {
    const config = load(larkSignIn());
    expect(config.console.larkSignIn).toEqual({
      appId: 'cli_a1b2c3d4e5f60718',
      appSecret: env.LARK_APP_SECRET,
      redirectUrl: 'https://warden.example.com/console/auth/lark/callback',
      sessionKey: env.WARDEN_CONSOLE_SESSION_KEY,
      sessionHours: 8,
    });
    expect(listSecrets(config)).toEqual(expect.arrayContaining([env.LARK_APP_SECRET, env.WARDEN_CONSOLE_SESSION_KEY]));
    expect(listSecrets(config)).not.toContain('cli_a1b2c3d4e5f60718');
    // http:// is for a Warden on this machine only.
    expect(load(larkSignIn({ redirectUrl: 'http://127.0.0.1:3000/console/auth/lark/callback', apiUrl: 'http://127.0.0.1:9/open-apis/' })).console.larkSignIn?.apiUrl).toBe('http://127.0.0.1:9/open-apis/');
  });

  it('refuses a missing or short session key, naming the key and how to make one', () => {
    expect(refusal(larkSignIn({ sessionKey: undefined })).problems).toEqual(['console.larkSignIn.sessionKey (line 5): required; add it']);
    expect(refusal(larkSignIn({ sessionKey: '${SHORT_SESSION_KEY}' })).problems).toEqual([
      'console.larkSignIn.sessionKey (line 9): must be at least 32 characters; generate one with `openssl rand -hex 32`',
    ]);
  });

  it('refuses http:// redirect and API URLs on another host', () => {
    expect(refusal(larkSignIn({ redirectUrl: 'http://warden.example.com/console/auth/lark/callback' })).problems).toEqual([
      'console.larkSignIn.redirectUrl (line 8): must be an https:// URL (http:// only on a loopback address), e.g. https://warden.example.com/console/auth/lark/callback',
    ]);
    expect(refusal(larkSignIn({ apiUrl: 'http://open.larksuite.com/open-apis/' })).problems).toEqual([
      expect.stringMatching(/^console\.larkSignIn\.apiUrl \(line 10\): must be an https:\/\/ URL .*the app secret is sent there/),
    ]);
    expect(refusal(larkSignIn({ sessionHours: '25' })).problems).toEqual([expect.stringMatching(/^console\.larkSignIn\.sessionHours \(line 10\): /)]);
  });

  it('refuses the app secret written in the file, without repeating it', () => {
    const error = refusal(larkSignIn({ appSecret: 'literal-lark-secret' }));
    expect(error.problems).toEqual(['console.larkSignIn.appSecret (line 7): secrets must come from the environment, not the file: write ${LARK_APP_SECRET} here and export LARK_APP_SECRET']);
    expect(error.message).not.toContain('literal-lark-secret');
  });

  it('is named when the console has no way to sign in', () => {
    const error = refusal(`${HEAD}console:\n  enabled: true\n`);
    expect(error.problems).toEqual([expect.stringContaining('console.slackSignIn (Sign in with Slack) or console.larkSignIn (Sign in with Lark)')]);
  });
});
