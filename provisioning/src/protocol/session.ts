/**
 * The authenticated session (docs/provisioning.md, "Security"). Handshake:
 *
 *   client → box  auth.start  {clientPub, clientNonce}                      (X25519 ephemeral)
 *   box → client  {boxPub, boxNonce, kdf: "scrypt$N$r$p$<salt>"}            (box ephemeral, PoP salt)
 *   both          shared = X25519(own priv, peer pub)
 *                 popKey = scrypt(code, salt)   (the box holds only this value, its stored hash)
 *                 transcript = "callbox-prov/1" | clientPub | boxPub | clientNonce | boxNonce
 *                 okm = HKDF-SHA256(ikm = shared, salt = popKey, info = transcript, 128 bytes)
 *                 → clientConfirm | boxConfirm | c2s key | s2c key (32 bytes each)
 *   client → box  auth.finish {proof = HMAC(clientConfirm, "client")}
 *   box → client  {proof = HMAC(boxConfirm, "box")}       (sealed frames from here on)
 *
 * The proof depends on the DH secret, so a passive listener can neither check guesses of the code
 * nor replay a proof (every handshake has fresh keys and nonces). Sealed frames: AES-256-GCM, nonce =
 * direction (4 bytes) | counter (u64 BE), AAD = type | reqId; the receiver accepts only counters
 * above the last one it accepted, so a replayed or reordered frame is refused.
 */
import {
  type KeyObject,
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';

const LABEL = 'callbox-prov/1';
const TAG_BYTES = 16;
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

export interface Ephemeral {
  priv: KeyObject;
  pub: Buffer;
  nonce: Buffer;
}

export function ephemeral(): Ephemeral {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { priv: privateKey, pub: Buffer.from(der.subarray(der.length - 32)), nonce: randomBytes(16) };
}

function publicKeyFromRaw(raw: Buffer): KeyObject {
  if (raw.length !== 32) throw new Error('an X25519 public key is 32 bytes');
  return createPublicKey({ key: Buffer.concat([X25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export interface KdfParams {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
}

/** "scrypt$N$r$p$<salt b64>[$<hash b64>]" → parameters (and the hash when present). */
export function parseKdf(text: string): (KdfParams & { hash: Buffer | null }) | null {
  const parts = text.split('$');
  if ((parts.length !== 5 && parts.length !== 6) || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const sane =
    Number.isInteger(N) &&
    N >= 1024 &&
    N <= 1 << 18 &&
    (N & (N - 1)) === 0 &&
    Number.isInteger(r) &&
    r >= 1 &&
    r <= 16 &&
    Number.isInteger(p) &&
    p >= 1 &&
    p <= 4;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  if (!sane || salt.length < 8 || salt.length > 64) return null;
  const hash = parts.length === 6 ? Buffer.from(parts[5] ?? '', 'base64') : null;
  if (hash !== null && hash.length !== 32) return null;
  return { N, r, p, salt, hash };
}

/** The technician's side of popKey: scrypt(code, salt) with the box's parameters. */
export function popKey(code: string, kdf: KdfParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(code.trim().normalize('NFC'), kdf.salt, 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export interface HandshakeKeys {
  clientConfirm: Buffer;
  boxConfirm: Buffer;
  c2s: Buffer;
  s2c: Buffer;
}

export function deriveKeys(opts: {
  own: Ephemeral;
  peerPub: Buffer;
  popKey: Buffer;
  clientPub: Buffer;
  boxPub: Buffer;
  clientNonce: Buffer;
  boxNonce: Buffer;
}): HandshakeKeys {
  const shared = diffieHellman({ privateKey: opts.own.priv, publicKey: publicKeyFromRaw(opts.peerPub) });
  if (shared.every((b) => b === 0)) throw new Error('degenerate X25519 key');
  const info = Buffer.concat([Buffer.from(LABEL), opts.clientPub, opts.boxPub, opts.clientNonce, opts.boxNonce]);
  const okm = Buffer.from(hkdfSync('sha256', shared, opts.popKey, info, 128));
  return { clientConfirm: okm.subarray(0, 32), boxConfirm: okm.subarray(32, 64), c2s: okm.subarray(64, 96), s2c: okm.subarray(96, 128) };
}

export function proof(key: Buffer, who: 'client' | 'box'): Buffer {
  return createHmac('sha256', key).update(who).digest();
}

export function proofMatches(key: Buffer, who: 'client' | 'box', given: Buffer): boolean {
  const want = proof(key, who);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** One direction's sealing key and counter. */
class Direction {
  private counter = 0n;
  constructor(
    private readonly key: Buffer,
    private readonly prefix: number,
  ) {}

  nonce(n: bigint): Buffer {
    const iv = Buffer.alloc(12);
    iv.writeUInt32BE(this.prefix, 0);
    iv.writeBigUInt64BE(n, 4);
    return iv;
  }

  seal(aad: Buffer, plain: Uint8Array): Buffer {
    this.counter++;
    const c = createCipheriv('aes-256-gcm', this.key, this.nonce(this.counter), { authTagLength: TAG_BYTES });
    c.setAAD(aad);
    const ct = Buffer.concat([c.update(plain), c.final()]);
    const head = Buffer.alloc(8);
    head.writeBigUInt64BE(this.counter);
    return Buffer.concat([head, ct, c.getAuthTag()]);
  }

  /** Null when the box is not authentic or its counter is not above the last accepted one. */
  open(aad: Buffer, sealed: Uint8Array): Buffer | null {
    if (sealed.length < 8 + TAG_BYTES) return null;
    const buf = Buffer.from(sealed);
    const n = buf.readBigUInt64BE(0);
    if (n <= this.counter) return null;
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, this.nonce(n), { authTagLength: TAG_BYTES });
      d.setAAD(aad);
      d.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
      const plain = Buffer.concat([d.update(buf.subarray(8, buf.length - TAG_BYTES)), d.final()]);
      this.counter = n;
      return plain;
    } catch {
      return null;
    }
  }
}

/** The sealing state of one side after a successful handshake. */
export class SecureSession {
  private readonly tx: Direction;
  private readonly rx: Direction;

  constructor(keys: HandshakeKeys, side: 'client' | 'box') {
    const c2s = new Direction(keys.c2s, 0x63327300);
    const s2c = new Direction(keys.s2c, 0x73326300);
    this.tx = side === 'client' ? c2s : s2c;
    this.rx = side === 'client' ? s2c : c2s;
  }

  static aad(type: number, reqId: number): Buffer {
    const a = Buffer.alloc(5);
    a[0] = type;
    a.writeUInt32BE(reqId, 1);
    return a;
  }

  seal(type: number, reqId: number, plain: Uint8Array): Buffer {
    return this.tx.seal(SecureSession.aad(type, reqId), plain);
  }

  open(type: number, reqId: number, sealed: Uint8Array): Buffer | null {
    return this.rx.open(SecureSession.aad(type, reqId), sealed);
  }
}
