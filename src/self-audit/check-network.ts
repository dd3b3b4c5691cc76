import { isIPv4 } from 'node:net';
import type { ActionConfig } from '../config/action-schema.js';
import type { SelfAuditContext } from './self-audit-context.js';
import type { SelfAuditCheck, SelfAuditFinding, SelfAuditSeverity } from './self-audit-finding.js';
import { isLoopbackHost } from './is-loopback-host.js';
import { listSecretFields } from './list-secret-fields.js';
import { toFinding } from './to-finding.js';

const BIND: SelfAuditCheck = {
  id: 'server-bind-address',
  title: 'Warden listens on loopback, or behind a TLS-terminating reverse proxy',
  severity: 'high',
  fix: 'put a TLS-terminating reverse proxy in front and bind 127.0.0.1 (server.host or HOST); if the proxy is on another machine, list its address in server.trustedProxies',
};

const PROXIES: SelfAuditCheck = {
  id: 'server-trusted-proxies',
  title: 'server.trustedProxies names the proxies, not whole networks',
  severity: 'medium',
  fix: 'list only the reverse proxies\' own addresses in server.trustedProxies (e.g. ["10.0.3.7"]): anyone in a trusted range can forge X-Forwarded-For',
};

const PLAIN_HTTP: SelfAuditCheck = {
  id: 'plain-http-urls',
  title: 'Outbound URLs to other hosts use https://',
  severity: 'medium',
  fix: 'use https:// for every URL that leaves the machine (actions.*.url, actions.*.request.url, slack.apiUrl / SLACK_API_URL, lark.domain / LARK_DOMAIN, alertmanager.apiUrl)',
};

/** `scheme://[user@]host…`, tolerant of `{{ templates }}` that a URL parser would refuse. */
const URL_PARTS = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i;

function checkBind(config: SelfAuditContext['config']): SelfAuditFinding {
  const { host, port, trustedProxies } = config.server;
  if (isLoopbackHost(host)) return toFinding(BIND, 'pass', `binds ${host}:${port} (loopback)`);
  if (trustedProxies.length > 0) {
    return toFinding(BIND, 'pass', `binds ${host}:${port} behind the trusted proxies ${trustedProxies.join(', ')} (TLS is expected to end there)`);
  }
  return toFinding(BIND, 'fail', `binds ${host}:${port} with no trusted proxy configured: Warden speaks plain HTTP, so webhook tokens and chat payloads cross the network in clear`);
}

function prefixLength(cidr: string): number {
  const [address = '', bits] = cidr.split('/');
  const full = isIPv4(address) ? 32 : 128;
  return bits === undefined ? full : Number(bits);
}

function checkProxies(config: SelfAuditContext['config']): SelfAuditFinding {
  const proxies = config.server.trustedProxies;
  if (proxies.length === 0) return toFinding(PROXIES, 'pass', 'no trusted proxies: X-Forwarded-For is ignored');
  const broad = proxies.filter((cidr) => prefixLength(cidr) < (isIPv4(cidr.split('/')[0] ?? '') ? 8 : 32));
  return broad.length > 0
    ? toFinding(PROXIES, 'fail', `trusts X-Forwarded-For from ${broad.join(', ')}: client addresses in logs and the audit log can be forged`)
    : toFinding(PROXIES, 'pass', `trusts ${proxies.join(', ')}`);
}

function actionUrl(action: ActionConfig): string | undefined {
  if (action.kind === 'http') return action.request.url;
  if (action.kind === 'http-check' || action.kind === 'prometheus') return action.url;
  return undefined;
}

function checkPlainHttp(config: SelfAuditContext['config']): SelfAuditFinding {
  // Keys whose requests carry credentials: a cleartext hop exposes them, not only the data.
  const credentialed = new Set(['slack.apiUrl', 'lark.domain']);
  for (const field of listSecretFields(config)) {
    if (field.kind === 'header' && field.path[0] === 'actions') credentialed.add(`actions.${String(field.path[1])}.request.url`);
  }
  const urls: [string, string | undefined][] = [
    ['slack.apiUrl', config.slack?.apiUrl],
    ['lark.domain', config.lark?.domain],
    ['alertmanager.apiUrl', config.alertmanager.apiUrl],
    ...Object.entries(config.actions).map(([id, action]): [string, string | undefined] => [
      `actions.${id}.${action.kind === 'http' ? 'request.url' : 'url'}`,
      actionUrl(action),
    ]),
  ];
  const plain = urls.flatMap(([key, url]) => {
    const parts = url ? URL_PARTS.exec(url) : null;
    if (!parts || parts[1]!.toLowerCase() !== 'http' || isLoopbackHost(parts[2]!)) return [];
    return [{ key, host: parts[2]!, credentials: credentialed.has(key) || parts[0].includes('@') }];
  });
  const checked = urls.filter(([, url]) => url).length;
  if (plain.length === 0) return toFinding(PLAIN_HTTP, 'pass', `${checked} outbound URL(s): none uses http:// to another host`);
  const severity: SelfAuditSeverity = plain.some((p) => p.credentials) ? 'high' : 'medium';
  const list = plain.map((p) => `${p.key} (http://${p.host}${p.credentials ? ', sends credentials' : ''})`);
  return toFinding(PLAIN_HTTP, 'fail', `plain http:// to other hosts: ${list.join(', ')}`, { severity });
}

/** Network checks: the listen address against trusted proxies, and cleartext outbound URLs. */
export function checkNetwork(context: SelfAuditContext): SelfAuditFinding[] {
  return [checkBind(context.config), checkProxies(context.config), checkPlainHttp(context.config)];
}
