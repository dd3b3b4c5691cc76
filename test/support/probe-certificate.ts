import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A self-signed certificate and its key, PEM. */
export interface TestCertificate {
  cert: string;
  key: string;
  /** `notAfter` as the certificate states it. */
  validTo: Date;
}

/**
 * Makes a self-signed P-256 certificate for `CN=warden.test` (SANs `warden.test` and 127.0.0.1)
 * valid for `days` days from now, with the `openssl` CLI in a temporary directory.
 */
export async function makeTestCertificate(days: number): Promise<TestCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'warden-cert-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', String(days),
      '-subj', '/CN=warden.test', '-addext', 'subjectAltName=DNS:warden.test,IP:127.0.0.1',
    ]);
    const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
    return { cert, key, validTo: new Date(new X509Certificate(cert).validTo) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
