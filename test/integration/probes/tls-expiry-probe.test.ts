import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../../src/redis/find-free-port.js';
import { probeSpecSchema, type ProbeSpecOf } from '../../../src/probes/probe-spec-schema.js';
import { runCheck } from '../../../src/probes/run-check.js';
import { runTlsExpiryProbe } from '../../../src/probes/run-tls-expiry-probe.js';
import { makeTestCertificate, type TestCertificate } from '../../support/probe-certificate.js';

const DAY_MS = 86_400_000;
const servers: (Server | TcpServer)[] = [];
const sockets: Socket[] = [];
let shortLived: TestCertificate;
let longLived: TestCertificate;
let shortPort: number;
let longPort: number;

/** Remembers the server and its connections, so that afterAll can close them all. */
function track(server: Server | TcpServer): void {
  servers.push(server);
  server.on('connection', (socket: Socket) => sockets.push(socket));
}

async function serveTls(certificate: TestCertificate): Promise<number> {
  const server = createServer({ key: certificate.key, cert: certificate.cert }, (socket) => socket.end());
  server.on('tlsClientError', () => {});
  track(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function tlsSpec(fields: Record<string, unknown>): ProbeSpecOf<'tls-expiry'> {
  return probeSpecSchema.parse({ kind: 'tls-expiry', host: '127.0.0.1', timeoutSeconds: 5, ...fields }) as ProbeSpecOf<'tls-expiry'>;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

beforeAll(async () => {
  [shortLived, longLived] = await Promise.all([makeTestCertificate(2), makeTestCertificate(400)]);
  [shortPort, longPort] = await Promise.all([serveTls(shortLived), serveTls(longLived)]);
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('runTlsExpiryProbe against a real TLS server', () => {
  it('fails a certificate that expires in 2 days, with the date and the days left', async () => {
    const result = await runTlsExpiryProbe(tlsSpec({ port: shortPort }));
    expect(result.ok).toBe(false);
    expect(result.summary).toBe(
      `expires ${day(shortLived.validTo)} (in 1 day, fewer than minDays 21), CN=warden.test, issuer warden.test, not trusted: self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)`,
    );
  });

  it('passes a certificate valid for 400 days, reporting that it is not trusted', async () => {
    const result = await runTlsExpiryProbe(tlsSpec({ port: longPort }), { actionId: 'api-cert', title: 'API certificate' });
    expect(result).toMatchObject({ actionId: 'api-cert', title: 'API certificate', ok: true });
    expect(result.summary).toBe(`expires ${day(longLived.validTo)} (399 days), CN=warden.test, issuer warden.test, not trusted: self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)`);
  });

  it('says "trusted" when the certificate verifies against the given CA, and why not when the name differs', async () => {
    const trusted = await runTlsExpiryProbe(tlsSpec({ port: longPort }), { tlsCa: [longLived.cert] });
    expect(trusted.summary).toMatch(/, CN=warden\.test, issuer warden\.test, trusted$/);
    const named = await runTlsExpiryProbe(tlsSpec({ port: longPort, servername: 'warden.test' }), { tlsCa: [longLived.cert] });
    expect(named.summary).toMatch(/, trusted$/);
    const mismatch = await runTlsExpiryProbe(tlsSpec({ port: longPort, servername: 'other.test' }), { tlsCa: [longLived.cert] });
    expect(mismatch.ok).toBe(true);
    expect(mismatch.summary).toMatch(/, not trusted: name mismatch \(ERR_TLS_CERT_ALTNAME_INVALID\)$/);
  });

  it('fails an expired certificate, saying how long ago it expired', async () => {
    const result = await runTlsExpiryProbe(tlsSpec({ port: shortPort }), { now: () => Date.now() + 2 * DAY_MS + 3_600_000 });
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(new RegExp(`^expired ${day(shortLived.validTo)} \\(less than a day ago\\), CN=warden\\.test`));
    const dayAfter = await runTlsExpiryProbe(tlsSpec({ port: shortPort }), { now: () => Date.now() + 3 * DAY_MS });
    expect(dayAfter.summary).toMatch(/^expired \S+ \(1 day ago\)/);
    const later = await runTlsExpiryProbe(tlsSpec({ port: shortPort }), { now: () => Date.now() + 10 * DAY_MS });
    expect(later.summary).toMatch(/^expired \S+ \(8 days ago\)/);
  });

  it('honours minDays', async () => {
    const result = await runTlsExpiryProbe(tlsSpec({ port: shortPort, minDays: 1 }));
    expect(result.ok).toBe(true);
    expect(result.summary).toMatch(/^expires \S+ \(1 day\)/);
  });

  it('reports a refused connection with the address', async () => {
    const port = await findFreePort();
    const result = await runTlsExpiryProbe(tlsSpec({ port }));
    expect(result).toMatchObject({ ok: false, summary: `127.0.0.1:${port}: connection refused` });
  });

  it('gives up on a server that accepts but never answers TLS, through runCheck too', async () => {
    const silent = createTcpServer(() => {});
    track(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;

    const started = Date.now();
    const direct = await runTlsExpiryProbe(tlsSpec({ port, timeoutSeconds: 0.5 }));
    expect(direct).toMatchObject({ ok: false, summary: `127.0.0.1:${port}: no TLS handshake within 0.5 s` });
    const checked = await runCheck('cert', 'Certificate', tlsSpec({ port, timeoutSeconds: 0.5 }), {});
    expect(checked).toMatchObject({ actionId: 'cert', ok: false, summary: `127.0.0.1:${port}: no TLS handshake within 0.5 s` });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports a server that speaks something else than TLS', async () => {
    const plain = createTcpServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    track(plain);
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const port = (plain.address() as AddressInfo).port;
    const result = await runTlsExpiryProbe(tlsSpec({ port }));
    expect(result).toMatchObject({ ok: false, summary: expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${port}: TLS handshake failed \\(ERR_SSL_[A-Z_]+\\)$`)) });
  });
});
