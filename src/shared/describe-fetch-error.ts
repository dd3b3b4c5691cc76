import { sanitizeText } from './sanitize-text.js';

const CAUSE_DESCRIPTIONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_HEADERS_OVERFLOW: 'response headers too large',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host',
};

/**
 * One line for a failed `fetch`: "timed out after 5 s", "connection refused", "host not found (DNS)".
 * Never includes the URL, which may carry credentials.
 */
export function describeFetchError(error: unknown, timeoutSeconds: number): string {
  if (isNamed(error, 'TimeoutError')) return `timed out after ${timeoutSeconds} s`;
  if (isNamed(error, 'AbortError')) return 'aborted';
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 4; cause = cause.cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') {
      return CAUSE_DESCRIPTIONS[code] ?? (code.startsWith('ERR_TLS') || code.includes('CERT') ? `TLS error (${code})` : `request failed (${sanitizeText(code, 40)})`);
    }
  }
  return 'request failed';
}

function isNamed(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;
}
