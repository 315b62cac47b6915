// The real box (production bundle) with HTTPS on (--https-port 0): the certificate it made on first
// boot in <data-dir>/tls is the one the TLS handshake shows and /healthz reports; node:https trusts
// it when given it as the CA; chromium refuses it as untrusted (self-signed) unless told to ignore
// certificate errors, and then signs in over TLS with a Secure, HttpOnly, SameSite=Strict cookie.
// The same certificate (same fingerprint) comes back after a restart.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { chromium } from 'playwright-core';
import t from 'tap';
import { startBox } from '../helpers/process.js';
import { CHROMIUM_ARGS } from './fixtures/fresh-box.js';

function httpsUrlOf(logs: string[]): string {
  for (const line of logs) {
    if (!line.includes('"callbox ready"')) continue;
    const url = (JSON.parse(line) as { httpsUrl?: string }).httpsUrl;
    if (url) return url;
  }
  throw new Error(`no httpsUrl in the ready line:\n${logs.join('\n')}`);
}

function getJson(url: string, ca: string): Promise<{ body: unknown; fingerprint256: string; hsts: string | undefined }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, servername: 'localhost', agent: false }, (res) => {
        const peer = (res.socket as TLSSocket).getPeerCertificate();
        let text = '';
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () =>
          resolve({
            body: JSON.parse(text),
            fingerprint256: peer.fingerprint256,
            hsts: res.headers['strict-transport-security'] as string | undefined,
          }),
        );
      })
      .on('error', reject);
  });
}

t.test('the box over HTTPS with its own certificate', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-https-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  let box = await startBox(dataDir, ['--https-port', '0']);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  t.teardown(async () => {
    await browser.close();
    await box.stop();
  });
  const httpsUrl = httpsUrlOf(box.logs);
  t.match(httpsUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
  const certPem = readFileSync(join(dataDir, 'tls', 'cert.pem'), 'utf8');
  const cert = new X509Certificate(certPem);
  t.match(cert.subjectAltName ?? '', /DNS:localhost/);
  t.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);

  const health = await getJson(`${httpsUrl}/healthz`, certPem);
  t.equal(health.fingerprint256, cert.fingerprint256, 'the handshake shows the certificate in the data dir');
  t.equal((health.body as { https?: { fingerprint256: string } }).https?.fingerprint256, cert.fingerprint256, '/healthz reports it');
  t.equal(health.hsts, 'max-age=31536000');
  t.ok(
    box.logs.some((l) => l.includes(cert.fingerprint256) && l.includes('HTTPS certificate')),
    'the start log shows the fingerprint',
  );

  const strict = await browser.newPage();
  const refused = await strict.goto(httpsUrl).then(
    () => '',
    (e: Error) => e.message,
  );
  t.match(refused, /ERR_CERT_AUTHORITY_INVALID/, 'chromium does not trust a self-signed certificate by itself');
  await strict.close();

  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(httpsUrl);
  await page.fill('#login-username', 'owner');
  await page.fill('#login-password', 'test-password-1');
  await page.click('button[type=submit]');
  await page.waitForSelector('#sign-out');
  await page.waitForSelector('.agent');
  const cookie = (await context.cookies()).find((c) => c.name === 'callbox_session');
  t.ok(cookie, 'signed in over HTTPS');
  t.equal(cookie?.secure, true, 'Secure');
  t.equal(cookie?.httpOnly, true, 'HttpOnly');
  t.equal(cookie?.sameSite, 'Strict', 'SameSite=Strict');
  await context.close();

  // plain HTTP on loopback still works (no redirect unless the owner turns it on)
  const plain = await fetch(`${box.url}/healthz`, { redirect: 'manual' });
  t.equal(plain.status, 200);
  t.equal(plain.headers.get('strict-transport-security'), null);

  t.equal(await box.stop(), 0);
  box = await startBox(dataDir, ['--https-port', '0']);
  const after = await getJson(`${httpsUrlOf(box.logs)}/healthz`, certPem);
  t.equal(after.fingerprint256, cert.fingerprint256, 'the same certificate after a restart');
});
