import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load-config.js';
import { checkSecrets } from '../../../src/self-audit/check-secrets.js';
import type { SelfAuditContext } from '../../../src/self-audit/self-audit-context.js';
import { createConfigFileLoader } from '../../support/create-config-file-loader.js';
import { randomSecret } from '../../support/test-redis.js';

const env = { WARDEN_WEBHOOK_TOKEN: randomSecret(40), LARK_APP_ID: 'cli_a1b2c3d4e5f60718', LARK_APP_SECRET: randomSecret(32) };
const HEAD = 'alertmanager:\n  token: ${WARDEN_WEBHOOK_TOKEN}\n';
const LARK = 'lark:\n  appId: ${LARK_APP_ID}\n  appSecret: ${LARK_APP_SECRET}\n  encryptKey: ${LARK_ENCRYPT_KEY}\n  verificationToken: ${LARK_VERIFICATION_TOKEN}\n';

const load = createConfigFileLoader(env, 'warden-lark-transport-');
const { dir } = load;

function problems(yaml: string, withEnv: Record<string, string | undefined> = env): string[] {
  try {
    load(yaml, withEnv);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('lark.transport', () => {
  it('is http by default, which needs the encrypt key and the verification token', () => {
    expect(problems(`${HEAD}${LARK}`)).toEqual([
      expect.stringMatching(/^lark\.encryptKey \(line 6\): required, but \$\{LARK_ENCRYPT_KEY\} is not set/),
      expect.stringMatching(/^lark\.verificationToken \(line 7\): required, but \$\{LARK_VERIFICATION_TOKEN\} is not set/),
    ]);
    const config = load(`${HEAD}${LARK}`, { ...env, LARK_ENCRYPT_KEY: randomSecret(24), LARK_VERIFICATION_TOKEN: randomSecret(24) });
    expect(config.lark?.transport).toBe('http');
  });

  it('websocket needs neither: the long connection is opened with the app id and secret', () => {
    const config = load(`${HEAD}${LARK}  transport: websocket\n`);
    expect(config.lark).toEqual({ appId: env.LARK_APP_ID, appSecret: env.LARK_APP_SECRET, transport: 'websocket' });
    const findings = checkSecrets({ config } as SelfAuditContext);
    expect(findings.find((finding) => finding.id === 'integration-secrets')).toMatchObject({ status: 'pass' });
  });

  it('websocket refuses an app id the long connection would not accept, and an unknown transport', () => {
    expect(problems(`${HEAD}${LARK}  transport: websocket\n`, { ...env, LARK_APP_ID: 'cli_warden' })).toEqual([
      expect.stringMatching(/^lark\.appId \(line 4\): must be the App ID from the Lark developer console \(cli_ and 16 hex digits/),
    ]);
    expect(problems(`${HEAD}${LARK}  transport: grpc\n`)).toEqual([expect.stringMatching(/^lark\.transport \(line 8\): .*"http".*"websocket"/)]);
  });
});

describe('LARK_TRANSPORT (no config file)', () => {
  const fromEnv = (extra: Record<string, string | undefined>) => loadConfig({ env: { ...env, ...extra }, file: null, cwd: dir });

  it('is http when unset, which needs the encrypt key and the verification token', () => {
    const config = fromEnv({ LARK_ENCRYPT_KEY: randomSecret(24), LARK_VERIFICATION_TOKEN: randomSecret(24) });
    expect(config.lark?.transport).toBe('http');
    expect(fromEnv({ LARK_TRANSPORT: 'http', LARK_ENCRYPT_KEY: randomSecret(24), LARK_VERIFICATION_TOKEN: randomSecret(24) }).lark?.transport).toBe('http');
  });

  it('websocket opens the long connection with the app id and secret alone', () => {
    const config = fromEnv({ LARK_TRANSPORT: 'websocket' });
    expect(config.lark).toEqual({ appId: env.LARK_APP_ID, appSecret: env.LARK_APP_SECRET, transport: 'websocket' });
  });

  it('refuses any other value, naming the variable', () => {
    let problems: string[] = [];
    try {
      fromEnv({ LARK_TRANSPORT: 'grpc' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([expect.stringMatching(/^lark\.transport \(from LARK_TRANSPORT\): .*"http".*"websocket"/)]);
  });
});
