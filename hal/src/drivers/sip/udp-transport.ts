/**
 * SIP over UDP for sip.js. One SipSocket (node:dgram) serves the whole box; a screen in front of
 * sip.js drops what it must never see (garbage, requests from strangers) and answers what the box
 * handles itself (REGISTER for agent phones). UdpTransport is the sip.js Transport over it.
 *
 * Via and sip.js: sip.js writes "Via: SIP/2.0/UDP <viaHost>" (no port) and drops any response whose
 * Via sent-by is not exactly its viaHost without a port. With UDP the port matters (RFC 3261
 * §18.2.2: without it, the far end answers to 5060), so the transport adds the box's port to the
 * Via it sends and takes exactly that port off the Via of responses it hands to sip.js; a response
 * whose Via carries another port is not ours and is dropped, as sip.js would.
 */
import { type Socket, createSocket } from 'node:dgram';
import { EmitterImpl, type Transport, TransportState } from 'sip.js';
import { isResponse, stampVia, startLine, topVia, uriHostPort, header } from './sip-text.js';
import { SipTcpListener } from './tcp-listener.js';

export interface Datagram {
  text: string;
  address: string;
  port: number;
}

/** What the screen decides: pass to sip.js (maybe edited), or drop (after answering itself). */
export type Screen = (d: Datagram, reply: (text: string) => void) => string | null;

export const MAX_SIP_DATAGRAM = 16 * 1024;

export class SipSocket {
  private readonly sock: Socket;
  private deliver: ((text: string) => void) | null = null;
  screen: Screen = (d) => d.text;
  port = 0;
  received = 0;
  dropped = 0;

  constructor(
    readonly host: string,
    /** The host written into Via and Contact (the external address behind NAT). */
    readonly viaHost: string,
  ) {
    this.sock = createSocket('udp4');
    this.sock.on('message', (buf, rinfo) => this.onDatagram(buf, rinfo.address, rinfo.port));
    this.sock.on('error', () => {});
  }

  bind(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.sock.once('error', reject);
      this.sock.bind(port, this.host, () => {
        this.sock.off('error', reject);
        this.port = this.sock.address().port;
        resolve(this.port);
      });
    });
  }

  close(): void {
    this.tcp?.close();
    this.sock.close();
  }

  attach(deliver: ((text: string) => void) | null): void {
    this.deliver = deliver;
  }

  /** SIP over TCP on the same port (tcp-listener.ts): messages to a peer with a live connection go over it. */
  tcp: SipTcpListener | null = null;

  /** Listen for SIP over TCP too, on the bound port. */
  async listenTcp(): Promise<void> {
    const tcp = new SipTcpListener(this.host, (buf, address, port) => this.onDatagram(buf, address, port));
    await tcp.listen(this.port);
    this.tcp = tcp;
  }

  sendTo(text: string, address: string, port: number): void {
    if (this.tcp?.write(address, port, text)) return;
    this.sock.send(Buffer.from(text, 'utf8'), port, address);
  }

  /** Send a message sip.js built: add our port to its Via; route by Via (responses) or URI (requests). */
  send(text: string): void {
    if (isResponse(text)) {
      const v = topVia(text);
      if (!v) return;
      this.sendTo(text, v.received ?? v.host, v.rport ?? v.port ?? 5060);
      return;
    }
    const v = topVia(text);
    let out = text;
    if (v && v.host === this.viaHost && v.port === null) {
      out = `${text.slice(0, v.sentBy[1])}:${this.port}${text.slice(v.sentBy[1])}`;
    }
    const route = header(text, 'route');
    const target = uriHostPort(route ?? startLine(text));
    if (!target) return;
    // over a TCP connection the Via names TCP (sip.js writes the transport it was built with: UDP)
    if (this.tcp?.has(target.host, target.port ?? 5060)) out = out.replace(/^((?:via|v)[ \t]*:[ \t]*SIP\/2\.0\/)UDP/im, '$1TCP');
    this.sendTo(out, target.host, target.port ?? 5060);
  }

  /** One message from the network (a datagram, or a message framed off a TCP connection). */
  private onDatagram(buf: Buffer, address: string, port: number): void {
    this.received++;
    if (buf.length > MAX_SIP_DATAGRAM || buf.length < 16) {
      this.dropped++;
      return;
    }
    let text = buf.toString('utf8');
    if (isResponse(text)) {
      const v = topVia(text);
      if (!v || v.host !== this.viaHost || v.port !== this.port) {
        this.dropped++;
        return;
      }
      text = text.slice(0, v.sentBy[0]) + v.host + text.slice(v.sentBy[1]);
    } else {
      if (!/^[A-Z]+ \S+ SIP\/2\.0\r\n/.test(text) || !topVia(text)) {
        this.dropped++;
        return;
      }
      text = stampVia(text, address, port);
    }
    const passed = this.screen({ text, address, port }, (r) => this.sendTo(r, address, port));
    if (passed === null) {
      this.dropped++;
      return;
    }
    try {
      this.deliver?.(passed);
    } catch {
      this.dropped++; // sip.js threw on a message it could not handle: drop it, never crash the box
    }
  }
}

/** The sip.js Transport over a SipSocket (pass it as transportOptions.socket). */
export class UdpTransport implements Transport {
  readonly protocol = 'UDP';
  readonly stateChange = new EmitterImpl<TransportState>();
  private _state = TransportState.Disconnected;
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  private readonly socket: SipSocket;

  constructor(_logger: unknown, options: { socket: SipSocket }) {
    this.socket = options.socket;
  }

  get state(): TransportState {
    return this._state;
  }

  async connect(): Promise<void> {
    this.socket.attach((m) => this.onMessage?.(m));
    this.setState(TransportState.Connected);
    this.onConnect?.();
  }

  async disconnect(): Promise<void> {
    this.socket.attach(null);
    this.setState(TransportState.Disconnected);
    this.onDisconnect?.();
  }

  async dispose(): Promise<void> {
    await this.disconnect();
  }

  isConnected(): boolean {
    return this._state === TransportState.Connected;
  }

  async send(message: string): Promise<void> {
    this.socket.send(message);
  }

  private setState(s: TransportState): void {
    this._state = s;
    this.stateChange.emit(s);
  }
}
