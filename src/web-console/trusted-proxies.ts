import { BlockList, isIP } from 'node:net';

/** Whether a peer address is one of `server.trustedProxies`. */
export type IsTrustedProxy = (address: string | undefined) => boolean;

/**
 * The check of a direct peer's address against `server.trustedProxies` (addresses or CIDRs), with
 * Node's own `BlockList`. An IPv4 peer seen on a dual-stack socket (`::ffff:127.0.0.1`) is checked as
 * the IPv4 address it is. No list, no trusted peer.
 */
export function createTrustedProxies(entries: readonly string[]): IsTrustedProxy {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return (address) => {
    if (address === undefined) return false;
    const plain = address.toLowerCase().startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    const family = isIP(plain);
    if (family === 0) return false;
    return list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };
}
