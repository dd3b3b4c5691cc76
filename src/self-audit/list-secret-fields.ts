import { formatConfigPath } from '../config/format-config-path.js';
import { SECRET_HEADER } from '../config/secret-header.js';

/** Keys whose whole value is a secret. */
const SECRET_KEYS: readonly (readonly string[])[] = [
  ['alertmanager', 'token'],
  ['slack', 'signingSecret'],
  ['slack', 'botToken'],
  ['slack', 'appToken'],
  ['lark', 'appSecret'],
  ['lark', 'encryptKey'],
  ['lark', 'verificationToken'],
  ['audit', 'hmacKey'],
  ['console', 'slackSignIn', 'clientSecret'],
  ['console', 'slackSignIn', 'sessionKey'],
  ['console', 'larkSignIn', 'appSecret'],
  ['console', 'larkSignIn', 'sessionKey'],
  ['redis', 'password'],
  ['redis', 'sentinelPassword'],
];


/** A place in a config tree that holds a secret: a whole value, an action header, or a URL with credentials in it. */
export interface SecretField {
  /** Dotted key, e.g. `slack.signingSecret` or `actions.isolate-host.request.headers.Authorization`. */
  key: string;
  path: (string | number)[];
  kind: 'value' | 'header' | 'url';
  value: unknown;
}

function get(tree: unknown, path: readonly (string | number)[]): unknown {
  let node = tree;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

function entries(node: unknown): [string, unknown][] {
  return node !== null && typeof node === 'object' && !Array.isArray(node) ? Object.entries(node) : [];
}

/**
 * Every secret place present in a config tree: the validated `Config` or the raw tree parsed from
 * the YAML file (both have the same shape). Absent keys are not listed.
 */
export function listSecretFields(tree: unknown): SecretField[] {
  const found: SecretField[] = [];
  const add = (path: (string | number)[], kind: SecretField['kind']) => {
    const value = get(tree, path);
    if (value !== undefined && value !== null) found.push({ key: formatConfigPath(path), path, kind, value });
  };
  for (const path of SECRET_KEYS) add([...path], 'value');
  add(['redis', 'url'], 'url');
  for (const [id, action] of entries(get(tree, ['actions']))) {
    for (const [name] of entries(get(action, ['request', 'headers']))) {
      if (SECRET_HEADER.test(name)) add(['actions', id, 'request', 'headers', name], 'header');
    }
    for (const path of [['request', 'url'], ['url'], ['redis']]) add(['actions', id, ...path], 'url');
  }
  return found;
}
