import { isIP } from 'node:net';
import type { PeerCertificate } from 'node:tls';
import type { ProbeResult } from '../model/probe-result.js';
import { sanitizeText } from '../shared/sanitize-text.js';
import { formatDays } from './format-days.js';
import type { ProbeRunnerOptions } from './probe-runner-options.js';
import { probeSignal } from './probe-signal.js';
import type { ProbeSpecOf } from './probe-spec-schema.js';
import { readPeerCertificate } from './read-peer-certificate.js';
import { startCheckResult } from './start-check-result.js';

const DAY_MS = 86_400_000;

const TRUST_ERRORS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed root in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'issuer unknown (incomplete chain?)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issuer unknown (incomplete chain?)',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'name mismatch',
};

/**
 * Reads the certificate of `host:port` (TLS, SNI `servername`, default the host unless it is an IP)
 * without rejecting an untrusted one, and fails when it expires in fewer than `minDays` days, has
 * expired or is not valid yet: "expires 2027-01-05 (44 days), CN=example.org, issuer R11, trusted".
 * Whether it verified (chain and name) is always said, but alone does not fail the check.
 */
export async function runTlsExpiryProbe(spec: ProbeSpecOf<'tls-expiry'>, options: ProbeRunnerOptions = {}): Promise<ProbeResult> {
  const now = options.now ?? Date.now;
  const finish = startCheckResult(spec, options);
  const where = isIP(spec.host) === 6 ? `[${spec.host}]:${spec.port}` : `${spec.host}:${spec.port}`;
  const answer = await readPeerCertificate({
    host: spec.host,
    port: spec.port,
    servername: spec.servername ?? (isIP(spec.host) === 0 ? spec.host : undefined),
    ca: options.tlsCa,
    signal: probeSignal(spec, options),
    timeoutSeconds: spec.timeoutSeconds,
  });
  if ('error' in answer) return finish(false, `${where}: ${answer.error}`);

  const { certificate } = answer;
  const validTo = Date.parse(certificate.valid_to ?? '');
  const validFrom = Date.parse(certificate.valid_from ?? '');
  if (Number.isNaN(validTo)) return finish(false, `${where} sent no certificate with a readable expiry date`);

  const trust = answer.trusted ? 'trusted' : `not trusted: ${describeTrustError(answer.trustError)}`;
  const about = `${describeSubject(certificate)}, ${trust}`;
  const left = validTo - now();
  const date = new Date(validTo).toISOString().slice(0, 10);
  if (!Number.isNaN(validFrom) && validFrom > now()) return finish(false, `not valid before ${new Date(validFrom).toISOString().slice(0, 10)}, ${about}`);
  if (left <= 0) return finish(false, `expired ${date} (${formatDays(left)} ago), ${about}`);
  if (left < spec.minDays * DAY_MS) return finish(false, `expires ${date} (in ${formatDays(left)}, fewer than minDays ${spec.minDays}), ${about}`);
  return finish(true, `expires ${date} (${formatDays(left)}), ${about}`);
}

function describeSubject(certificate: PeerCertificate): string {
  const name = (part: unknown): string | undefined => {
    const value = Array.isArray(part) ? part[0] : part;
    return typeof value === 'string' && value !== '' ? sanitizeText(value, 80) : undefined;
  };
  const subject = name(certificate.subject?.CN) ?? name(certificate.subjectaltname?.split(',')[0]?.replace(/^\s*\w+:/, ''));
  const issuer = name(certificate.issuer?.CN) ?? name(certificate.issuer?.O);
  return `CN=${subject ?? '(none)'}, issuer ${issuer ?? '(unnamed)'}`;
}

function describeTrustError(code: string | undefined): string {
  if (code === undefined) return 'unverified';
  const safe = sanitizeText(code, 60);
  const words = TRUST_ERRORS[code];
  return words === undefined ? safe : `${words} (${safe})`;
}
