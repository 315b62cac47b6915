/**
 * The SIP driver: one UDP socket and one sip.js UserAgent for the box, trunk peers (IP-authenticated
 * providers), DID routes, and a pool of 'sip' channels per route. An INVITE from a trunk peer to a
 * DID rings a free channel of that DID's route (or the trunk's default route); INVITEs from anyone
 * else are refused (403) before sip.js sees them. One 20 ms ticker moves audio for every active leg.
 */
import { type Invitation, type LogLevel, Registerer, RegistererState, type Session, UserAgent } from 'sip.js';
import { FRAME_MS } from '../../audio.js';
import type { Channel, Driver } from '../../channel.js';
import type { Clock, TimerHandle } from '../../clock.js';
import { type PortRange, DEFAULT_RTP_PORTS, RtpPortAllocator } from './port-range.js';
import { RtpSdh } from './rtp-sdh.js';
import { phonesStatus, type SipPhonesStatus } from './phone-status.js';
import { Registrar, type SipExtensionDef } from './registrar.js';
import { SipChannel } from './sip-channel.js';
import { SipPhoneChannel } from './sip-phone-channel.js';
import { header, inDialog, startLine, uriHostPort } from './sip-text.js';
import { type Datagram, SipSocket, UdpTransport } from './udp-transport.js';

export interface SipTrunkDef {
  id: string;
  /** host or host:port of the provider's SBC; its source address authenticates its calls. */
  peer: string;
  /** Where calls to a DID without a route of its own go (an IVR id). */
  defaultRoute: string;
  /** Simultaneous calls on the trunk. */
  channels: number;
}

export interface SipDidRoute {
  did: string;
  route: string;
  channels: number;
}

export interface SipDriverOptions {
  clock: Clock;
  port: number;
  /** Local bind address (0.0.0.0 for all). */
  bindHost: string;
  /** The address peers reach the box at (Via, Contact, SDP): the external address behind NAT. */
  externalAddress: string;
  rtpPorts?: PortRange;
  trunks: SipTrunkDef[];
  dids: SipDidRoute[];
  /** Agent phones that register to the box (channel id `sip-<user>`). */
  extensions?: SipExtensionDef[];
  /** Digest realm of the registrar. */
  realm?: string;
  /** Register to a provider (username/password trunks): digest auth, refresh before expiry. */
  registration?: SipRegistration;
  /** Failed registrations from one address before it is banned. */
  maxAuthFailures?: number;
  /** Digits an agent phone dials before an outside number (stripped); absent: any non-extension number goes out. */
  outboundPrefix?: string;
  /** Also accept SIP over TCP on the same port (RFC 3261 §18; UDP stays). */
  tcp?: boolean;
  log?: (level: 'info' | 'warn', msg: string, data?: Record<string, unknown>) => void;
}

export interface SipRegistration {
  /** host[:port] of the provider's registrar, or several comma-separated (failover in order); their addresses are trunk peers. */
  registrar: string;
  username: string;
  password: string;
  expiresS: number;
}

/** The user part sip.js sees as the box's own: out-of-dialog Request-URIs are rewritten to it. */
export const BOX_USER = 'callbox';
const DID_HEADER = 'X-Callbox-Did';
/** Internal: an INVITE from an authenticated agent phone, `<extension>;<dialled number>`. */
const PHONE_HEADER = 'X-Callbox-Ext';

function peerHostPort(peer: string): { host: string; port: number } {
  const [host, port] = peer.split(':');
  return { host: host as string, port: port ? Number(port) : 5060 };
}

export class SipDriver implements Driver {
  readonly name = 'sip';
  readonly socket: SipSocket;
  private userAgent: UserAgent | null = null;
  private readonly list: SipChannel[] = [];
  private readonly phones: SipPhoneChannel[] = [];
  readonly registrar: Registrar;
  private readonly pools = new Map<string, SipChannel[]>();
  private readonly ports: RtpPortAllocator;
  private ticker: TimerHandle | null = null;
  private registerer: Registerer | null = null;
  /** Provider registration state: 'none' (not configured), 'registered', 'unregistered' (failed or expired). */
  registrationState: 'none' | 'registered' | 'unregistered' = 'none';
  registrations = 0;
  /** Which registrar of the list is in use (failover moves on). */
  registrarIndex = 0;
  private stopping = false;
  /** Refused or dropped requests, by reason (for status and tests). */
  readonly refused = new Map<string, number>();

  constructor(private readonly o: SipDriverOptions) {
    this.socket = new SipSocket(o.bindHost, o.externalAddress);
    this.ports = new RtpPortAllocator(o.rtpPorts ?? DEFAULT_RTP_PORTS, o.bindHost);
    const pool = (key: string, route: string, n: number) => {
      const chans: SipChannel[] = [];
      for (let i = 1; i <= n; i++) {
        const ch = new SipChannel(`sip-${key}-${i}`, route, { ua: () => this.ua(), dialUri: (num) => this.dialUri(num) }, () =>
          this.ensureTicker(),
        );
        chans.push(ch);
        this.list.push(ch);
      }
      this.pools.set(key, chans);
    };
    for (const t of o.trunks) pool(t.id, t.defaultRoute, t.channels);
    for (const d of o.dids) pool(d.did, d.route, d.channels);
    this.registrar = new Registrar({
      realm: o.realm ?? 'callbox',
      extensions: o.extensions ?? [],
      now: () => o.clock.now(),
      ...(o.maxAuthFailures ? { maxFailures: o.maxAuthFailures } : {}),
    });
    const host = { ua: () => this.ua(), registrar: this.registrar, boxHost: o.externalAddress, clock: o.clock };
    for (const e of o.extensions ?? []) this.phones.push(new SipPhoneChannel(`sip-${e.user}`, e.user, host, () => this.ensureTicker()));
  }

  channels(): Channel[] {
    return [...this.list, ...this.phones];
  }

  phoneChannels(): SipPhoneChannel[] {
    return this.phones;
  }

  sipChannels(): SipChannel[] {
    return this.list;
  }

  get port(): number {
    return this.socket.port;
  }

  /** What a desk phone is set up with and each agent phone's live bindings (phone-status.ts). */
  phoneStatus(): SipPhonesStatus {
    return phonesStatus(this.o, this.socket.port, this.phones, this.registrar);
  }

  ua(): UserAgent {
    if (!this.userAgent) throw new Error('the SIP driver is not started');
    return this.userAgent;
  }

  async start(): Promise<void> {
    await this.socket.bind(this.o.port);
    if (this.o.tcp) await this.socket.listenTcp();
    this.socket.screen = (d, reply) => this.screen(d, reply);
    const reg = this.o.registration;
    const regHost = reg ? peerHostPort(reg.registrar.split(',')[0]?.trim() ?? '') : null;
    // Registered to a provider, the box's address-of-record is the provider account.
    const uri = UserAgent.makeURI(
      reg && regHost ? `sip:${reg.username}@${regHost.host}` : `sip:${BOX_USER}@${this.o.externalAddress}:${this.socket.port}`,
    );
    if (!uri) throw new Error(`bad SIP external address ${this.o.externalAddress}`);
    const ua = new UserAgent({
      uri,
      viaHost: this.o.externalAddress,
      contactName: BOX_USER,
      contactParams: { transport: 'udp' },
      transportConstructor: UdpTransport,
      transportOptions: { socket: this.socket },
      sessionDescriptionHandlerFactory: (session: Session) =>
        new RtpSdh({
          clock: this.o.clock,
          ports: this.ports,
          mediaAddress: this.o.externalAddress,
          // RFC 4733 digits of a leg reach the channel that holds its session.
          onDigit: (digit, ms) => [...this.list, ...this.phones].find((c) => c.owns(session))?.signalledDigit(digit, ms),
          // a phone holding its call: the engine plays hold music to the caller (calls/call-control.ts)
          onHold: (held) => this.phones.find((c) => c.owns(session))?.events.emit('hold', { held }),
        }),
      logBuiltinEnabled: process.env.SIP_DEBUG === '2',
      logLevel: (process.env.SIP_DEBUG === '2' ? 'debug' : 'error') as unknown as LogLevel,
      forceRport: true,
      ...(reg ? { authorizationUsername: reg.username, authorizationPassword: reg.password } : {}),
      userAgentString: 'callbox',
      noAnswerTimeout: 120,
      delegate: { onInvite: (inv) => this.onInvite(inv) },
    });
    // Contact must carry our port (sip.js builds it from viaHost alone).
    ua.contact.uri.port = this.socket.port;
    this.userAgent = ua;
    await ua.start();
    if (reg) this.register(0);
  }

  /** Register to registrar `i` of the list; a rejection or a lapsed registration fails over to the next one. */
  private register(i: number): void {
    const reg = this.o.registration;
    if (!reg || !this.userAgent) return;
    const list = reg.registrar.split(',').map((x) => x.trim());
    const hp = peerHostPort(list[i % list.length] as string);
    const registrar = UserAgent.makeURI(`sip:${hp.host}:${hp.port}`);
    if (!registrar) throw new Error(`bad registrar ${list[i % list.length]}`);
    const old = this.registerer;
    this.registerer = null;
    old?.dispose().catch(() => {});
    const r = new Registerer(this.userAgent, { registrar, expires: reg.expiresS, refreshFrequency: 90 });
    this.registerer = r;
    this.registrarIndex = i % list.length;
    let failed = false;
    const failover = () => {
      if (failed || this.registerer !== r || this.stopping) return;
      failed = true;
      this.registrationState = 'unregistered';
      if (list.length > 1) this.register(i + 1);
    };
    r.stateChange.addListener((st) => {
      if (st === RegistererState.Registered) {
        this.registrations++;
        this.registrationState = 'registered';
      } else if (st === RegistererState.Unregistered) failover();
    });
    r.register({ requestDelegate: { onReject: () => failover() } }).catch(() => failover());
  }

  async stop(): Promise<void> {
    this.ticker?.cancel();
    this.ticker = null;
    for (const ch of this.list) if (ch.busy) await ch.hangup().catch(() => {});
    for (const ch of this.phones) if (ch.state !== 'idle') await ch.hangup().catch(() => {});
    this.stopping = true;
    await this.registerer?.dispose().catch(() => {});
    await this.userAgent?.stop().catch(() => {});
    this.socket.close();
  }

  private dialUri(number: string): string {
    const t = this.o.trunks[0];
    if (!t) throw new Error('no SIP trunk to dial through');
    const { host, port } = peerHostPort(t.peer);
    return `sip:${number}@${host}:${port}`;
  }

  /**
   * The dial plan of agent phones: with an outbound prefix, only prefixed numbers go out (prefix
   * removed); without, any number but a SIP extension. Null: not an outside number (an extension,
   * handed to the engine `extensionOnly`, or refused 404).
   */
  private outsideNumber(dialled: string, isExtension: boolean): string | null {
    const prefix = this.o.outboundPrefix;
    if (!prefix) return isExtension || !dialled ? null : dialled;
    return dialled.startsWith(prefix) && dialled.length > prefix.length ? dialled.slice(prefix.length) : null;
  }

  private count(reason: string): void {
    this.refused.set(reason, (this.refused.get(reason) ?? 0) + 1);
  }

  /** The trunk a source belongs to: its host, and its port when the peer names one (`host:port`). */
  private trunkOf(address: string, port: number): SipTrunkDef | undefined {
    const t = this.o.trunks.find((x) => {
      const hp = peerHostPort(x.peer);
      return hp.host === address && (!x.peer.includes(':') || hp.port === port);
    });
    if (t) return t;
    const registrars = this.o.registration?.registrar.split(',').map((x) => peerHostPort(x.trim()).host) ?? [];
    return registrars.includes(address) ? this.o.trunks[0] : undefined;
  }

  /** Security and routing in front of sip.js (see udp-transport.ts). */
  private screen(d: Datagram, reply: (text: string) => void): string | null {
    if (this.registrar.isBanned(d.address) && !this.trunkOf(d.address, d.port)) {
      this.registrar.stats.bannedDrops++;
      return null;
    }
    if (d.text.startsWith('SIP/2.0 ')) return d.text;
    // The box's own routing headers: a peer's copies are removed, never trusted.
    const text = stripInternalHeaders(d.text);
    const method = startLine(text).split(' ')[0] ?? '';
    const missing = ['from', 'to', 'call-id', 'cseq'].find(
      (h) => header(text, h, { from: 'f', to: 't', 'call-id': 'i', cseq: '' }[h] || undefined) === null,
    );
    if (missing) {
      this.count('malformed');
      if (method !== 'ACK') reply(simpleResponse(text, 400, `Missing ${missing}`));
      return null;
    }
    // In-dialog requests from UAs that put the dialled URI (not our Contact) in the Request-URI still reach their dialog.
    if (inDialog(text) || method === 'ACK' || method === 'CANCEL') return rewriteRuri(text);
    if (method === 'OPTIONS') return rewriteRuri(text);
    if (method === 'INVITE') {
      const dialled = uriHostPort(startLine(text))?.user ?? '';
      // A registered phone (or one offering credentials) is a phone even on a trunk's host.
      const fromPhone = this.registrar.userAt(d.address, d.port) !== null || header(text, 'proxy-authorization') !== null;
      const trunk = fromPhone ? undefined : this.trunkOf(d.address, d.port);
      if (trunk) return rewriteRuri(text, `${DID_HEADER}: ${trunk.id};${dialled}`);
      if (this.phones.length === 0) {
        this.count('stranger');
        reply(simpleResponse(text, 403, 'Forbidden'));
        return null;
      }
      // An agent phone calling out: only with its extension's credentials (no open relay).
      const auth = this.registrar.authorizeCall({ ...d, text });
      if ('response' in auth) {
        this.count(auth.response.startsWith('SIP/2.0 407') ? 'challenged' : 'stranger');
        reply(auth.response);
        return null;
      }
      return rewriteRuri(text, `${PHONE_HEADER}: ${auth.user};${dialled}`);
    }
    if (method === 'REGISTER') {
      reply(this.registrar.handle(d));
      return null;
    }
    this.count('unsupported');
    reply(simpleResponse(d.text, 405, 'Method Not Allowed'));
    return null;
  }

  private onInvite(inv: Invitation): void {
    const ext = inv.request.getHeader(PHONE_HEADER);
    if (ext) {
      const [user, number] = ext.split(';');
      const phone = this.phones.find((p) => p.user === user);
      const other = this.phones.find((p) => p.user === number);
      const outside = this.outsideNumber(number ?? '', !!other);
      // not an outside number: a SIP extension, or 1..6 digits the engine may know (an analog phone's extension)
      const extension = !outside && (!!other || /^[0-9]{1,6}$/.test(number ?? ''));
      if (!phone || (!outside && !extension)) inv.reject({ statusCode: phone ? 404 : 403 }).catch(() => {});
      // in a call, the phone's dial is its second call (placeCall: `secondCall`, the engine's consultation)
      else phone.placeCall(inv, outside ?? number ?? '', !outside);
      return;
    }
    const tag = inv.request.getHeader(DID_HEADER) ?? '';
    const [trunkId, did] = tag.split(';');
    const pool = (did && this.pools.get(did.replace(/^\+/, ''))) || this.pools.get(trunkId ?? '');
    const ch = pool?.find((c) => !c.busy);
    if (!ch) {
      inv.reject({ statusCode: pool ? 486 : 404 }).catch(() => {});
      this.count(pool ? 'busy' : 'noRoute');
      return;
    }
    this.o.log?.('info', 'inbound SIP call', { channel: ch.id, did: did ?? null });
    ch.offer(inv, did || null);
  }

  private ensureTicker(): void {
    if (this.ticker) return;
    this.ticker = this.o.clock.setInterval(() => {
      let active = 0;
      for (const ch of this.list) {
        if (!ch.mediaFlowing) continue;
        active++;
        ch.tick();
      }
      for (const ch of this.phones) {
        if (!ch.mediaFlowing) continue;
        active++;
        ch.tick();
      }
      if (active === 0) {
        this.ticker?.cancel();
        this.ticker = null;
      }
    }, FRAME_MS);
  }
}

/** Remove X-Callbox-* headers (the box's internal routing headers) from a peer's request. */
export function stripInternalHeaders(text: string): string {
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  if (!/\r\nX-Callbox-/i.test(head)) return text;
  return head.replace(/\r\nX-Callbox-[A-Za-z-]*[ \t]*:[^\r\n]*/gi, '') + (end < 0 ? '' : text.slice(end));
}

/** Point the Request-URI at the box's own user (sip.js only takes requests addressed to it). */
function rewriteRuri(text: string, extraHeader?: string): string {
  const eol = text.indexOf('\r\n');
  const [method, uri, version] = text.slice(0, eol).split(' ');
  const hp = uriHostPort(uri ?? '');
  const newUri = hp ? `sip:${BOX_USER}@${hp.host}${hp.port ? `:${hp.port}` : ''}` : uri;
  return `${method} ${newUri} ${version}${extraHeader ? `\r\n${extraHeader}` : ''}${text.slice(eol)}`;
}

/** A stateless response copying Via, From, To, Call-ID and CSeq (for refusals before sip.js). */
export function simpleResponse(req: string, code: number, reason: string): string {
  const end = req.indexOf('\r\n\r\n');
  const head = end < 0 ? req : req.slice(0, end);
  const keep = head.split('\r\n').filter((l) => /^(via|v|from|f|to|t|call-id|i|cseq)\s*:/i.test(l));
  const lines = keep.map((l) =>
    /^(to|t)\s*:/i.test(l) && !/;\s*tag=/i.test(l) ? `${l};tag=cb${Math.random().toString(36).slice(2, 10)}` : l,
  );
  return `SIP/2.0 ${code} ${reason}\r\n${lines.join('\r\n')}\r\nServer: callbox\r\nContent-Length: 0\r\n\r\n`;
}
