import { isIPv4, isIPv6 } from 'node:net';

/** True for `localhost`, 127.0.0.0/8 and ::1 (with or without brackets): traffic to them never leaves the machine. */
export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIPv4(name)) return name.startsWith('127.');
  if (isIPv6(name)) return name === '::1' || /^(0+:){7}0*1$/.test(name) || /^::ffff:127\./.test(name);
  return false;
}
