const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for an https URL, or an http URL to a loopback address (a relay or proxy on this machine). */
export function isHttpsOrLoopback(url: string): boolean {
  return url.startsWith('https:') || LOOPBACK_HOSTS.has(new URL(url).hostname);
}
