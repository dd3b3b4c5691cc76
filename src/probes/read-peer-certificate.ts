import { connect, type PeerCertificate } from 'node:tls';
import { describeFetchError } from '../shared/describe-fetch-error.js';

/** Where to connect and what to trust. */
export interface PeerCertificateRequest {
  host: string;
  port: number;
  /** SNI and the name the certificate is checked against; absent for IP addresses. */
  servername: string | undefined;
  /** Trusted CAs (PEM) instead of Node's bundled roots. */
  ca: string[] | undefined;
  signal: AbortSignal;
  /** For the timeout message. */
  timeoutSeconds: number;
}

/** The server's certificate, and whether Node would have trusted it (chain and name). */
export interface PeerCertificateAnswer {
  certificate: PeerCertificate;
  trusted: boolean;
  /** Node's verification error code when not trusted, e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`. */
  trustError: string | undefined;
}

/**
 * Connects with TLS, reads the peer certificate without rejecting an untrusted one, and hangs up.
 * Resolves with the certificate or a one-line reason ("connection refused", "no TLS handshake within 5 s").
 */
export function readPeerCertificate(request: PeerCertificateRequest): Promise<PeerCertificateAnswer | { error: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const socket = connect({ host: request.host, port: request.port, servername: request.servername, ca: request.ca, rejectUnauthorized: false });
    const settle = (answer: PeerCertificateAnswer | { error: string }) => {
      if (settled) return;
      settled = true;
      request.signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(answer);
    };
    const onAbort = () => settle({ error: `no ${socket.connecting ? 'connection' : 'TLS handshake'} within ${request.timeoutSeconds} s` });
    if (request.signal.aborted) return onAbort();
    request.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      const authorizationError = socket.authorizationError as unknown;
      settle({
        certificate: socket.getPeerCertificate(),
        trusted: socket.authorized,
        trustError: authorizationError === null || authorizationError === undefined ? undefined : String((authorizationError as { code?: unknown }).code ?? authorizationError),
      });
    });
    socket.once('error', (error) => settle({ error: describeSocketError(error, request.timeoutSeconds) }));
    socket.once('close', () => settle({ error: 'connection closed before the TLS handshake finished' }));
  });
}

function describeSocketError(error: Error, timeoutSeconds: number): string {
  const code = (error as { code?: unknown }).code;
  // OpenSSL's own codes: typically a server that does not speak TLS on that port.
  if (typeof code === 'string' && code.startsWith('ERR_SSL_')) return `TLS handshake failed (${code})`;
  return describeFetchError(error, timeoutSeconds);
}
