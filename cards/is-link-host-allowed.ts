import { isHostAllowed } from '../src/shared/is-host-allowed.js';

/**
 * True when `url`'s host is one of `hosts`: a name (`wiki.example.com`, any port), a name with a
 * port (`prometheus.example.com:9090`), or `*.example.com` for any name below that domain (see
 * `isHostAllowed`). Names compare without case; an unparsable URL is never allowed.
 */
export function isLinkHostAllowed(url: string, hosts: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return isHostAllowed(parsed, hosts);
}
