/**
 * The box's HTTPS certificate: `tls/key.pem` + `tls/cert.pem` in the data folder, made on first
 * boot (self-signed, ten years, the box's host names and addresses as subjectAltName) and kept
 * afterwards, so the SHA-256 fingerprint a technician notes down stays the same. A missing,
 * unreadable, mismatched or expired pair is replaced (the old files are kept as *.old).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { createSelfSignedCert } from './self-signed.js';

export interface BoxCertificate {
  keyPem: string;
  certPem: string;
  /** SHA-256 of the DER certificate, "AB:CD:…" (what browsers show). */
  fingerprint256: string;
  validTo: string;
  subjectAltName: string;
  /** True when this start made it. */
  created: boolean;
}

export interface CertOptions {
  /** Host names beside the machine's (os.hostname(), its .local name, localhost). */
  extraNames?: string[];
  now?: Date;
}

/** The machine's names and addresses for subjectAltName. */
export function boxNames(extra: string[] = []): { commonName: string; dnsNames: string[]; ips: string[] } {
  const host = hostname().replace(/[^A-Za-z0-9.-]/g, '') || 'callbox';
  const dnsNames = [host, ...(host.includes('.') ? [] : [`${host}.local`]), 'localhost', ...extra];
  const ips = ['127.0.0.1', '::1'];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal && !a.address.startsWith('fe80')) ips.push(a.address);
  }
  return { commonName: host, dnsNames, ips };
}

function load(keyFile: string, certFile: string, now: Date): Omit<BoxCertificate, 'created'> | null {
  try {
    const keyPem = readFileSync(keyFile, 'utf8');
    const certPem = readFileSync(certFile, 'utf8');
    const cert = new X509Certificate(certPem);
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return null;
    if (Date.parse(cert.validTo) <= now.getTime()) return null;
    return { keyPem, certPem, fingerprint256: cert.fingerprint256, validTo: cert.validTo, subjectAltName: cert.subjectAltName ?? '' };
  } catch {
    return null;
  }
}

/** Load the pair from `<dataDir>/tls/`, or make and store a new one. */
export function ensureBoxCertificate(dataDir: string, opts: CertOptions = {}): BoxCertificate {
  const dir = join(dataDir, 'tls');
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  const now = opts.now ?? new Date();
  const existing = load(keyFile, certFile, now);
  if (existing) return { ...existing, created: false };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const f of [keyFile, certFile]) if (existsSync(f)) renameSync(f, `${f}.old`);
  const made = createSelfSignedCert({ ...boxNames(opts.extraNames), now });
  writeFileSync(keyFile, made.keyPem, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  writeFileSync(certFile, made.certPem, { mode: 0o644 });
  const loaded = load(keyFile, certFile, now);
  if (!loaded) throw new Error(`${certFile}: the new certificate does not load`);
  return { ...loaded, created: true };
}
