/**
 * A self-signed X.509 v3 server certificate built with node:crypto alone (Node 20 has no
 * certificate builder and a fresh Debian may have no openssl): an ECDSA P-256 key, signed with
 * SHA-256, the box's host names and IP addresses as subjectAltName, serverAuth, not a CA.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  explicit,
  implicit,
  octetString,
  oid,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './der.js';

export interface CertRequest {
  /** The subject's common name, e.g. the box's host name. */
  commonName: string;
  /** DNS names for subjectAltName (e.g. "callbox-1a2b", "callbox-1a2b.local", "localhost"). */
  dnsNames: string[];
  /** IPv4/IPv6 addresses for subjectAltName. */
  ips: string[];
  /** Validity in days from `now` (default 3650: ten years). */
  days?: number;
  now?: Date;
}

export interface SelfSignedCert {
  keyPem: string;
  certPem: string;
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyId: '2.5.29.14',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

const DAY_MS = 86_400_000;

function name(commonName: string): Buffer {
  return sequence(
    set(sequence(oid(OID.organization), utf8String('callbox'))),
    set(sequence(oid(OID.commonName), utf8String(commonName.slice(0, 64)))),
  );
}

/** IPv4 → 4 bytes, IPv6 → 16 bytes (RFC 5280 iPAddress). */
export function ipBytes(ip: string): Buffer {
  const kind = isIP(ip);
  if (kind === 4) return Buffer.from(ip.split('.').map(Number));
  if (kind !== 6) throw new Error(`not an IP address: ${ip}`);
  let text = ip.split('%')[0] ?? ip;
  // a trailing dotted IPv4 (::ffff:1.2.3.4) becomes two hex groups
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const b = v4[1].split('.').map(Number);
    text = `${text.slice(0, -v4[1].length)}${(((b[0] ?? 0) << 8) | (b[1] ?? 0)).toString(16)}:${(((b[2] ?? 0) << 8) | (b[3] ?? 0)).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => {
    out.writeUInt16BE(Number.parseInt(g || '0', 16), i * 2);
  });
  return out;
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(oid(id), boolean(true), octetString(value)) : sequence(oid(id), octetString(value));
}

/** The DER of the TBSCertificate and of the whole certificate, signed by `key`. */
export function buildCertificate(req: CertRequest, publicKey: KeyObject, privateKey: KeyObject): Buffer {
  const now = req.now ?? new Date();
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000 - DAY_MS); // a day of clock skew
  const notAfter = new Date(notBefore.getTime() + (req.days ?? 3650) * DAY_MS);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // the key's bits are the BIT STRING at the end of the SPKI; SHA-1 of them is the usual key id
  const keyId = createHash('sha1')
    .update(spki.subarray(spki.length - 65))
    .digest();
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const sans = [
    ...[...new Set(req.dnsNames)].map((d) => implicit(2, Buffer.from(d, 'ascii'))),
    ...[...new Set(req.ips)].map((ip) => implicit(7, ipBytes(ip))),
  ];
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const tbs = sequence(
    explicit(0, smallInteger(2)), // v3
    unsignedInteger(serial),
    algorithm,
    name(req.commonName),
    sequence(time(notBefore), time(notAfter)),
    name(req.commonName),
    spki,
    explicit(
      3,
      sequence(
        extension(OID.basicConstraints, true, sequence()),
        extension(OID.subjectAltName, false, sequence(...sans)),
        extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))),
        extension(OID.subjectKeyId, false, octetString(keyId)),
      ),
    ),
  );
  const signature = sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  return sequence(tbs, algorithm, bitString(signature));
}

export function pem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.endsWith('\n') ? b64 : `${b64}\n`}-----END ${label}-----\n`;
}

/** A fresh P-256 key and its self-signed certificate, both PEM. */
export function createSelfSignedCert(req: CertRequest): SelfSignedCert {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = buildCertificate(req, publicKey, privateKey);
  return { keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, certPem: pem('CERTIFICATE', der) };
}
