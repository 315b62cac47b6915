/**
 * The box's registrar for agent SIP phones: REGISTER with digest auth against per-extension
 * passwords (401 challenge, qop=auth), bindings with expiry (several contacts per extension,
 * `Contact: *` with Expires 0 clears them), and bans: a source address with `maxFailures` failed
 * authentications within `failureWindowMs` is ignored for `banMs`. Behind NAT the binding keeps
 * where the REGISTER came from, and the box sends INVITEs there. Built on the same UDP socket,
 * before sip.js (sip.js has no registrar side).
 */
import { digestResponse, NonceBook, parseDigest } from './digest.js';
import { header, startLine, uriHostPort } from './sip-text.js';
import type { Datagram } from './udp-transport.js';

export interface SipExtensionDef {
  /** The user part phones register with (e.g. "101"); also the channel id's suffix. */
  user: string;
  password: string;
}

export interface Binding {
  contact: string;
  /** Where the phone really is (the REGISTER's source). */
  address: string;
  port: number;
  expiresAt: number;
}

export interface RegistrarOptions {
  realm: string;
  extensions: SipExtensionDef[];
  now: () => number;
  maxFailures?: number;
  failureWindowMs?: number;
  banMs?: number;
  minExpiresS?: number;
  maxExpiresS?: number;
}

export class Registrar {
  private readonly bindings = new Map<string, Binding[]>();
  private readonly failures = new Map<string, number[]>();
  private readonly banned = new Map<string, number>();
  private readonly nonces: NonceBook;
  readonly stats = { registered: 0, challenged: 0, failed: 0, bannedDrops: 0 };

  constructor(private readonly o: RegistrarOptions) {
    this.nonces = new NonceBook(o.now);
  }

  isBanned(address: string): boolean {
    const until = this.banned.get(address);
    if (until === undefined) return false;
    if (until > this.o.now()) return true;
    this.banned.delete(address);
    return false;
  }

  /** Live bindings of an extension, newest first. */
  contacts(user: string): Binding[] {
    const now = this.o.now();
    const list = (this.bindings.get(user) ?? []).filter((b) => b.expiresAt > now);
    this.bindings.set(user, list);
    return [...list].sort((a, b) => b.expiresAt - a.expiresAt);
  }

  /** The extension with a live binding registered from this source address and port, if any. */
  userAt(address: string, port: number): string | null {
    for (const e of this.o.extensions) if (this.contacts(e.user).some((b) => b.address === address && b.port === port)) return e.user;
    return null;
  }

  hasExtension(user: string): boolean {
    return this.o.extensions.some((e) => e.user === user);
  }

  /** Handle one REGISTER; returns the response text. */
  handle(d: Datagram): string {
    const text = d.text;
    const toUser = uriHostPort(header(text, 'to', 't') ?? '')?.user ?? '';
    const authz = header(text, 'authorization');
    const ext = this.o.extensions.find((e) => e.user === toUser);
    if (!authz) {
      this.stats.challenged++;
      return this.challenge(text, false);
    }
    const p = parseDigest(authz);
    const method = startLine(text).split(' ')[0] ?? 'REGISTER';
    const ok = ext && p && p.username === ext.user && p.realm === this.o.realm && digestResponse(p, ext.password, method) === p.response;
    if (!ok) {
      this.fail(d.address);
      return respond(text, 403, 'Forbidden');
    }
    if (!this.nonces.valid(p.nonce)) return this.challenge(text, true);
    this.failures.delete(d.address);
    return this.bind(text, ext.user, d);
  }

  /**
   * An INVITE from an agent phone (not a trunk): the extension it authenticates as (digest against
   * the extension's password, 407 challenge first), or the response refusing it. A phone's call
   * into the box, never an open relay: without valid credentials nothing is dialled.
   */
  authorizeCall(d: Datagram): { user: string } | { response: string } {
    const text = d.text;
    const authz = header(text, 'proxy-authorization');
    if (!authz) {
      this.stats.challenged++;
      return { response: this.challenge(text, false, true) };
    }
    const p = parseDigest(authz);
    const ext = this.o.extensions.find((e) => e.user === p?.username);
    const ok = ext && p && p.realm === this.o.realm && digestResponse(p, ext.password, 'INVITE') === p.response;
    if (!ok) {
      this.fail(d.address);
      return { response: respond(text, 403, 'Forbidden') };
    }
    if (!this.nonces.valid(p.nonce)) return { response: this.challenge(text, true, true) };
    this.failures.delete(d.address);
    return { user: ext.user };
  }

  private fail(address: string): void {
    this.stats.failed++;
    const now = this.o.now();
    const window = this.o.failureWindowMs ?? 60_000;
    const list = (this.failures.get(address) ?? []).filter((t) => t > now - window);
    list.push(now);
    this.failures.set(address, list);
    if (list.length >= (this.o.maxFailures ?? 5)) {
      this.banned.set(address, now + (this.o.banMs ?? 10 * 60_000));
      this.failures.delete(address);
    }
  }

  private challenge(text: string, stale: boolean, proxy = false): string {
    const nonce = this.nonces.issue();
    const value = `Digest realm="${this.o.realm}", nonce="${nonce}", algorithm=MD5, qop="auth"${stale ? ', stale=true' : ''}`;
    if (proxy) return respond(text, 407, 'Proxy Authentication Required', [`Proxy-Authenticate: ${value}`]);
    return respond(text, 401, 'Unauthorized', [`WWW-Authenticate: ${value}`]);
  }

  private bind(text: string, user: string, d: Datagram): string {
    const now = this.o.now();
    const head = text.slice(0, text.indexOf('\r\n\r\n') >>> 0);
    const contacts = head
      .split('\r\n')
      .filter((l) => /^(contact|m)\s*:/i.test(l))
      .flatMap((l) => l.replace(/^[^:]+:\s*/, '').split(/,(?=\s*(?:"[^"]*"\s*)?<|\s*sip)/i))
      .map((c) => c.trim());
    const expiresHeader = Number(header(text, 'expires') ?? '3600');
    const clamp = (s: number) => (s === 0 ? 0 : Math.min(this.o.maxExpiresS ?? 3600, Math.max(this.o.minExpiresS ?? 60, s)));
    let list = this.contacts(user);
    if (contacts.length === 1 && contacts[0] === '*') {
      if (expiresHeader !== 0) return respond(text, 400, 'Bad Request');
      list = [];
    } else {
      for (const c of contacts) {
        const uri = /<([^>]+)>/.exec(c)?.[1] ?? c.split(';')[0] ?? c;
        const exp = clamp(Number(/;\s*expires=(\d+)/i.exec(c)?.[1] ?? expiresHeader));
        list = list.filter((b) => b.contact !== uri);
        if (exp > 0) list.push({ contact: uri, address: d.address, port: d.port, expiresAt: now + exp * 1000 });
      }
    }
    this.bindings.set(user, list.slice(-5));
    this.stats.registered++;
    const lines = list.map((b) => `Contact: <${b.contact}>;expires=${Math.round((b.expiresAt - now) / 1000)}`);
    return respond(text, 200, 'OK', [...lines, `Date: ${new Date(now).toUTCString()}`]);
  }
}

/** A response copying Via/From/To/Call-ID/CSeq (To gets a tag if it has none). */
export function respond(req: string, code: number, reason: string, extra: string[] = []): string {
  const end = req.indexOf('\r\n\r\n');
  const head = end < 0 ? req : req.slice(0, end);
  const keep = head.split('\r\n').filter((l) => /^(via|v|from|f|to|t|call-id|i|cseq)\s*:/i.test(l));
  const lines = keep.map((l) =>
    /^(to|t)\s*:/i.test(l) && !/;\s*tag=/i.test(l) ? `${l};tag=cb${Math.random().toString(36).slice(2, 10)}` : l,
  );
  return `SIP/2.0 ${code} ${reason}\r\n${[...lines, ...extra].join('\r\n')}\r\nServer: callbox\r\nContent-Length: 0\r\n\r\n`;
}
