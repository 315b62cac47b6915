/** HTTP digest (RFC 2617 / RFC 3261 §22) for the box's registrar: MD5, qop=auth or none. */
import { createHash, randomBytes } from 'node:crypto';

export interface DigestParams {
  [k: string]: string | undefined;
  username?: string;
  realm?: string;
  nonce?: string;
  uri?: string;
  response?: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
  algorithm?: string;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** Parse `Digest a="b", c=d` into its parameters; null when not a digest header. */
export function parseDigest(value: string): DigestParams | null {
  const m = /^\s*Digest\s+(.*)$/i.exec(value);
  if (!m) return null;
  const out: DigestParams = {};
  const re = /([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|([^,\s]+))/g;
  for (let p = re.exec(m[1] as string); p; p = re.exec(m[1] as string)) out[(p[1] as string).toLowerCase()] = p[2] ?? p[3];
  return out;
}

export function digestResponse(p: DigestParams, password: string, method: string): string {
  const ha1 = md5(`${p.username}:${p.realm}:${password}`);
  const ha2 = md5(`${method}:${p.uri}`);
  return p.qop ? md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`) : md5(`${ha1}:${p.nonce}:${ha2}`);
}

/** Nonces the box issued, valid for `ttlMs`. */
export class NonceBook {
  private readonly issued = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  issue(): string {
    const n = randomBytes(12).toString('hex');
    const t = this.now();
    this.issued.set(n, t + this.ttlMs);
    if (this.issued.size > 4096) for (const [k, exp] of this.issued) if (exp < t) this.issued.delete(k);
    return n;
  }

  valid(n: string | undefined): boolean {
    if (!n) return false;
    const exp = this.issued.get(n);
    return exp !== undefined && exp >= this.now();
  }
}
