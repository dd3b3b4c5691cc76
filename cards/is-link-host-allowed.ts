/**
 * True when `url`'s host is one of `hosts`: a name (`wiki.example.com`, any port), a name with a
 * port (`prometheus.example.com:9090`), or `*.example.com` for any name below that domain. Names
 * compare without case; an unparsable URL is never allowed.
 */
export function isLinkHostAllowed(url: string, hosts: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const name = parsed.hostname.toLowerCase();
  const withPort = parsed.host.toLowerCase();
  return hosts.some((entry) => {
    const host = entry.toLowerCase();
    if (host.startsWith('*.')) return name.endsWith(host.slice(1)) && name.length > host.length - 1;
    return host === name || host === withPort;
  });
}
