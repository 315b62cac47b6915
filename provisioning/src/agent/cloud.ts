/**
 * Cloud credentials. The box makes its own P-256 key (never leaves the box), and hands out a PKCS#10
 * CSR built by `openssl req` (Debian's openssl is on every image; node:crypto has no CSR builder and
 * hand-written DER would be code to maintain for one call). The technician's tool gets the CSR signed
 * and sends back the certificate, which must match the key; with the broker's CA it is written to
 * <data>/cloud/ and the config's cloud section points at the files.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync, X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ProvisionError } from '../protocol/messages.js';
import { writeAtomic } from './pop.js';

const run = promisify(execFile);

export class CloudCredentials {
  readonly dir: string;
  constructor(dataDir: string) {
    this.dir = join(dataDir, 'cloud');
  }

  get keyFile(): string {
    return join(this.dir, 'device.key');
  }
  get certFile(): string {
    return join(this.dir, 'device.crt');
  }
  get caFile(): string {
    return join(this.dir, 'ca.crt');
  }

  /** A CSR for CN=<deviceId> over the box's key (made now if absent, kept otherwise). */
  async csr(deviceId: string): Promise<string> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if (!existsSync(this.keyFile)) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      writeAtomic(this.keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    }
    try {
      const { stdout } = await run('openssl', ['req', '-new', '-key', this.keyFile, '-subj', `/O=callbox/CN=${deviceId}`, '-sha256'], {
        timeout: 10_000,
      });
      return stdout;
    } catch (e) {
      throw new ProvisionError('INTERNAL', `openssl req failed: ${(e as Error).message}`);
    }
  }

  /** Check and store the certificate (and CA); returns the files for the config. */
  install(certPem: string, caPem: string | null): { certFile: string; keyFile: string; caFile?: string; subject: string; validTo: string } {
    if (!existsSync(this.keyFile)) throw new ProvisionError('CONFLICT', 'no device key yet: ask for a CSR (cloud.csr) first');
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(certPem);
    } catch {
      throw new ProvisionError('VALIDATION_FAILED', 'cert: not a PEM certificate', { field: 'cert' });
    }
    if (!cert.checkPrivateKey(createPrivateKey(readFileSync(this.keyFile)))) {
      throw new ProvisionError('VALIDATION_FAILED', "cert: signed for another key (not this box's CSR)", { field: 'cert' });
    }
    if (caPem !== null) {
      let ca: X509Certificate;
      try {
        ca = new X509Certificate(caPem);
      } catch {
        throw new ProvisionError('VALIDATION_FAILED', 'ca: not a PEM certificate', { field: 'ca' });
      }
      if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) {
        throw new ProvisionError('VALIDATION_FAILED', 'cert: not issued by the given CA', { field: 'cert' });
      }
      writeAtomic(this.caFile, caPem, 0o644);
    }
    writeAtomic(this.certFile, certPem, 0o644);
    return {
      certFile: this.certFile,
      keyFile: this.keyFile,
      ...(caPem !== null ? { caFile: this.caFile } : {}),
      subject: cert.subject,
      validTo: cert.validTo,
    };
  }
}
