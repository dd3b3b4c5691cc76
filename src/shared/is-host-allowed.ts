import { BlockList, isIP } from 'node:net';

/** One parsed `allowHosts` / `linkHosts` entry. */
interface HostRule {
  matchesHost(host: string): boolean;
  /** Undefined: any port. */
  port: number | undefined;
}

const NAME = /^(?:\*\.)?(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.?$/;
const PORT = /^\d{1,5}$/;

/**
 * True when `url`'s host is allowed by one of `rules`. A rule is a host name
 * (`web-1.prod.example.com`), a domain wildcard (`*.prod.example.com`: any name below it, not the
 * domain itself), an IP address (`10.0.3.7`, `::1`) or a network in CIDR notation (`10.0.0.0/8`,
 * `fd00::/8`), each optionally with a port (`*.prod.example.com:9100`, `[fd00::1]:443`); without a
 * port any port is allowed. Names compare without case; an IP in a URL is matched against
 * addresses and networks only (names are never resolved to check them). An invalid rule allows
 * nothing (config loading refuses one, see {@link describeHostRuleProblem}).
 */
export function isHostAllowed(url: URL, rules: readonly string[]): boolean {
  const host = normalizeHost(url.hostname);
  const port = url.port === '' ? defaultPort(url.protocol) : Number(url.port);
  return rules.some((entry) => {
    const rule = parseHostRule(entry);
    return rule !== undefined && (rule.port === undefined || rule.port === port) && rule.matchesHost(host);
  });
}

/** Why `entry` is not a valid host rule (see {@link isHostAllowed}), or `undefined` when it is. */
export function describeHostRuleProblem(entry: string): string | undefined {
  if (parseHostRule(entry) !== undefined) return undefined;
  return `"${entry.slice(0, 80)}" is not a host rule: write a name (web-1.example.com), a domain wildcard (*.example.com), an IP address or a CIDR network (10.0.0.0/8), optionally followed by :port`;
}

function parseHostRule(entry: string): HostRule | undefined {
  const split = splitPort(entry.trim().toLowerCase());
  if (split === undefined) return undefined;
  const { host, port } = split;
  const slash = host.indexOf('/');
  if (slash >= 0) {
    const address = host.slice(0, slash);
    const bits = host.slice(slash + 1);
    const family = isIP(address);
    if (family === 0 || !/^\d{1,3}$/.test(bits) || Number(bits) > (family === 4 ? 32 : 128)) return undefined;
    const list = new BlockList();
    list.addSubnet(address, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
    return { port, matchesHost: (candidate) => matchesList(list, candidate) };
  }
  const family = isIP(host);
  if (family !== 0) {
    const list = new BlockList();
    list.addAddress(host, family === 4 ? 'ipv4' : 'ipv6');
    return { port, matchesHost: (candidate) => matchesList(list, candidate) };
  }
  if (!NAME.test(host) || /^[\d.]+$/.test(host)) return undefined;
  const name = normalizeHost(host);
  if (name.startsWith('*.')) {
    const suffix = name.slice(1);
    return { port, matchesHost: (candidate) => isIP(candidate) === 0 && candidate.endsWith(suffix) && candidate.length > suffix.length };
  }
  return { port, matchesHost: (candidate) => isIP(candidate) === 0 && candidate === name };
}

/** `host[:port]`, `[v6][:port]` or a bare IPv6 address (no port then). */
function splitPort(entry: string): { host: string; port: number | undefined } | undefined {
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    if (close < 0) return undefined;
    const rest = entry.slice(close + 1);
    if (rest !== '' && !(rest.startsWith(':') && PORT.test(rest.slice(1)))) return undefined;
    const port = rest === '' ? undefined : toPort(rest.slice(1));
    if (rest !== '' && port === undefined) return undefined;
    return { host: entry.slice(1, close), port };
  }
  const colons = entry.split(':').length - 1;
  if (colons !== 1) return { host: entry, port: undefined };
  const [host, text] = entry.split(':') as [string, string];
  const port = toPort(text);
  return port === undefined ? undefined : { host, port };
}

function toPort(text: string): number | undefined {
  if (!PORT.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

function matchesList(list: BlockList, candidate: string): boolean {
  const family = isIP(candidate);
  return family !== 0 && list.check(candidate, family === 4 ? 'ipv4' : 'ipv6');
}

/** Lower case, without IPv6 brackets and without a trailing dot. */
function normalizeHost(host: string): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare.toLowerCase().replace(/\.$/, '');
}

function defaultPort(protocol: string): number {
  return protocol === 'https:' ? 443 : 80;
}
