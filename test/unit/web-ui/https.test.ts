// HTTPS: the self-signed certificate (fields checked with node's X509Certificate and, when Debian's
// openssl is there, `openssl x509 -noout -text`), kept across starts, replaced when broken; the real
// server on HTTPS beside HTTP: the fingerprint on /healthz matches the one the TLS handshake shows,
// HSTS and the cookie's Secure only over TLS, and the owner's HTTP → HTTPS redirect (never loopback).
import { spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { startHttpServer } from '../../../web-ui/server/app.js';
import { isLoopback } from '../../../web-ui/server/https.js';
import { ensureBoxCertificate } from '../../../web-ui/server/tls/box-cert.js';
import { time } from '../../../web-ui/server/tls/der.js';
import { createSelfSignedCert, ipBytes } from '../../../web-ui/server/tls/self-signed.js';
import { FakeService, OWNER } from './fixtures/fake-service.js';

const DAY = 86_400_000;

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-tls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  fingerprint256: string;
}

function get(url: string, ca: string, init: { method?: string; json?: unknown; servername?: string } = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const body = init.json === undefined ? undefined : JSON.stringify(init.json);
    const req = https.request(
      url,
      {
        method: init.method ?? 'GET',
        ca,
        servername: init.servername ?? 'localhost',
        headers: body ? { 'content-type': 'application/json' } : {},
        agent: false,
      },
      (res) => {
        const peer = (res.socket as import('node:tls').TLSSocket).getPeerCertificate();
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, fingerprint256: peer.fingerprint256 }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

t.test('DER pieces: IP addresses and times', async (t) => {
  t.same([...ipBytes('192.168.1.20')], [192, 168, 1, 20]);
  t.same(ipBytes('::1').toString('hex'), `${'0'.repeat(30)}01`);
  t.same(ipBytes('fd00::2').toString('hex'), `fd00${'0'.repeat(26)}02`);
  t.same(ipBytes('::ffff:10.0.0.1').toString('hex'), `${'0'.repeat(20)}ffff0a000001`);
  t.same(ipBytes('2001:db8:0:0:1:0:0:1').toString('hex'), '20010db8000000000001000000000001');
  t.throws(() => ipBytes('not-an-ip'));
  // UTCTime (tag 0x17) through 2049, GeneralizedTime (0x18) from 2050
  t.equal(time(new Date('2049-12-31T23:59:59Z')).toString('latin1'), '\x17\x0d491231235959Z');
  t.equal(time(new Date('2050-01-01T00:00:00Z')).toString('latin1'), '\x18\x0f20500101000000Z');
});

t.test('a self-signed certificate node and openssl both read', async (t) => {
  const now = new Date('2026-11-27T08:00:00Z');
  const made = createSelfSignedCert({
    commonName: 'callbox-shop',
    dnsNames: ['callbox-shop.local', 'localhost'],
    ips: ['127.0.0.1', '192.168.1.20', '::1'],
    now,
  });
  const x = new X509Certificate(made.certPem);
  t.equal(x.subject, 'O=callbox\nCN=callbox-shop');
  t.equal(x.issuer, x.subject, 'self-issued');
  t.ok(x.verify(x.publicKey), 'self-signed: its own key verifies the signature');
  t.equal(x.publicKey.asymmetricKeyType, 'ec');
  t.equal(x.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  t.equal(
    x.subjectAltName,
    'DNS:callbox-shop.local, DNS:localhost, IP Address:127.0.0.1, IP Address:192.168.1.20, IP Address:0:0:0:0:0:0:0:1',
  );
  t.equal(x.checkHost('callbox-shop.local'), 'callbox-shop.local');
  t.equal(x.checkIP('192.168.1.20'), '192.168.1.20');
  t.equal(x.checkHost('example.com'), undefined);
  t.equal(x.ca, false, 'not a CA');
  t.same(x.keyUsage ?? [], ['1.3.6.1.5.5.7.3.1'], 'extended key usage: serverAuth');
  const from = Date.parse(x.validFrom);
  const to = Date.parse(x.validTo);
  t.equal(from, now.getTime() - DAY, 'valid from a day back (clock skew)');
  t.equal(Math.round((to - from) / DAY), 3650, 'ten years');
  t.equal(x.fingerprint256, createHash('sha256').update(x.raw).digest('hex').toUpperCase().match(/../g)?.join(':'));
  t.match(x.serialNumber, /^[0-7][0-9A-F]{31}$/, '16 random bytes, positive');

  const openssl = spawnSync('openssl', ['x509', '-noout', '-text'], { input: made.certPem, encoding: 'utf8' });
  if (openssl.error) {
    t.comment('openssl not installed: skipped its reading');
    return;
  }
  t.equal(openssl.status, 0, openssl.stderr);
  const text = openssl.stdout;
  t.match(text, /Version: 3 \(0x2\)/);
  t.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
  t.match(text, /NIST CURVE: P-256/);
  t.match(text, /X509v3 Basic Constraints: critical\s+CA:FALSE/);
  t.match(text, /DNS:callbox-shop\.local, DNS:localhost, IP Address:127\.0\.0\.1, IP Address:192\.168\.1\.20/);
  t.match(text, /TLS Web Server Authentication/);
  t.match(text, /Not After : Nov 23 08:00:00 2036 GMT/);
  const dir = tempDir(t);
  writeFileSync(join(dir, 'c.pem'), made.certPem);
  const verify = spawnSync('openssl', ['verify', '-x509_strict', '-CAfile', join(dir, 'c.pem'), join(dir, 'c.pem')], { encoding: 'utf8' });
  t.equal(verify.status, 0, `openssl verify (strict): ${verify.stdout}${verify.stderr}`);
});

t.test('the box keeps its certificate and replaces a broken one', async (t) => {
  const dir = tempDir(t);
  const first = ensureBoxCertificate(dir);
  t.equal(first.created, true);
  t.match(first.subjectAltName, /DNS:localhost/);
  t.match(first.subjectAltName, /IP Address:127\.0\.0\.1/);
  t.equal(statSync(join(dir, 'tls', 'key.pem')).mode & 0o777, 0o600, 'the key is readable by the box only');
  const again = ensureBoxCertificate(dir);
  t.equal(again.created, false);
  t.equal(again.fingerprint256, first.fingerprint256, 'same fingerprint on the next start');
  writeFileSync(join(dir, 'tls', 'cert.pem'), 'garbage');
  const fixed = ensureBoxCertificate(dir);
  t.equal(fixed.created, true);
  t.not(fixed.fingerprint256, first.fingerprint256);
  t.equal(readFileSync(join(dir, 'tls', 'cert.pem.old'), 'utf8'), 'garbage', 'the broken file is kept aside');
  const expired = ensureBoxCertificate(dir, { now: new Date(Date.now() + 3660 * DAY) });
  t.equal(expired.created, true, 'an expired certificate is replaced');
});

t.test('HTTPS beside HTTP: fingerprint, HSTS, Secure cookie', async (t) => {
  const cert = ensureBoxCertificate(tempDir(t));
  const service = new FakeService();
  const handle = await startHttpServer({
    service,
    log: pino({ level: 'silent' }),
    port: 0,
    tls: { port: 0, keyPem: cert.keyPem, certPem: cert.certPem, fingerprint256: cert.fingerprint256 },
  });
  t.teardown(() => handle.close());
  t.ok(handle.httpsPort, 'an HTTPS port');
  const base = `https://127.0.0.1:${handle.httpsPort}`;

  const health = await get(`${base}/healthz`, cert.certPem);
  t.equal(health.status, 200, 'the certificate verifies against itself for "localhost"');
  t.equal(health.fingerprint256, cert.fingerprint256, 'the handshake shows the box certificate');
  const body = JSON.parse(health.body) as { https?: { port: number; fingerprint256: string } };
  t.same(body.https, { port: handle.httpsPort, fingerprint256: cert.fingerprint256 }, '/healthz shows the fingerprint');
  t.equal(health.headers['strict-transport-security'], 'max-age=31536000', 'HSTS over HTTPS');

  await t.rejects(
    get(`${base}/healthz`, cert.certPem, { servername: 'example.com' }),
    /altnames|does not match/i,
    'a name not in the certificate is refused',
  );
  const other = createSelfSignedCert({ commonName: 'x', dnsNames: ['localhost'], ips: [] });
  await t.rejects(
    get(`${base}/healthz`, other.certPem),
    /self[- ]signed|unable to verify|signature/i,
    'another certificate does not verify it',
  );

  const plain = await fetch(`http://127.0.0.1:${handle.port}/healthz`);
  t.equal(plain.status, 200);
  t.equal(plain.headers.get('strict-transport-security'), null, 'no HSTS on plain HTTP');
  t.same(((await plain.json()) as { https?: unknown }).https, body.https, 'plain HTTP health shows it too');

  const login = await get(`${base}/api/v1/auth/login`, cert.certPem, { method: 'POST', json: OWNER });
  t.equal(login.status, 200);
  t.match(String(login.headers['set-cookie']), /; Secure/, 'the session cookie is Secure over TLS');
  const plainLogin = await fetch(`http://127.0.0.1:${handle.port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  t.notMatch(plainLogin.headers.get('set-cookie') ?? '', /Secure/, 'not Secure on plain HTTP (the browser would drop it)');
});

t.test('HTTP → HTTPS redirect: only when turned on, never for loopback', async (t) => {
  t.ok(isLoopback('127.0.0.1') && isLoopback('::1') && isLoopback('::ffff:127.0.0.5'));
  t.notOk(isLoopback('192.168.1.2') || isLoopback('::ffff:10.0.0.1') || isLoopback(undefined));
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && !a.internal && a.family === 'IPv4')?.address;
  if (!lan) {
    t.comment('no non-loopback IPv4 address on this machine: skipped');
    return;
  }
  const cert = ensureBoxCertificate(tempDir(t));
  const start = async (redirect: boolean) => {
    const h = await startHttpServer({
      service: new FakeService(),
      log: pino({ level: 'silent' }),
      port: 0,
      host: '0.0.0.0',
      tls: { port: 0, keyPem: cert.keyPem, certPem: cert.certPem, fingerprint256: cert.fingerprint256, redirect },
    });
    t.teardown(() => h.close());
    return h;
  };
  const off = await start(false);
  t.equal((await fetch(`http://${lan}:${off.port}/healthz`, { redirect: 'manual' })).status, 200, 'off by default: no redirect');
  const on = await start(true);
  const r = await fetch(`http://${lan}:${on.port}/api/v1/calls?limit=5`, { redirect: 'manual' });
  t.equal(r.status, 308, 'a LAN client is sent to HTTPS, method kept');
  t.equal(r.headers.get('location'), `https://${lan}:${on.httpsPort}/api/v1/calls?limit=5`);
  const evil = await fetch(`http://${lan}:${on.port}/`, { redirect: 'manual', headers: { host: 'evil.example/"<x>' } });
  t.equal(evil.headers.get('location'), `https://${lan}:${on.httpsPort}/`, 'a malformed Host header is not echoed');
  const local = await fetch(`http://127.0.0.1:${on.port}/healthz`, { redirect: 'manual' });
  t.equal(local.status, 200, 'loopback API clients keep plain HTTP');
});
