/**
 * One RTP media stream of a SIP call: G.711 (PCMU/PCMA) both ways in 20 ms frames, a jitter buffer
 * with loss concealment on receive, RFC 4733 telephone-event send and receive, symmetric RTP (media
 * goes back to where the far end's packets come from, for phones behind NAT) and RTCP receiver
 * reports. The owner ticks it every 20 ms: sendFrame() then readFrame().
 */
import { randomInt } from 'node:crypto';
import type { Socket } from 'node:dgram';
import { FRAME_SAMPLES, type Frame } from '../../audio.js';
import type { Clock, TimerHandle } from '../../clock.js';
import { decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw } from '../../dsp/g711.js';
import { JitterBuffer, type PullResult } from './jitter-buffer.js';
import type { RtpPortAllocator } from './port-range.js';
import { ReceptionStats, type RtcpReport, packReceiverReport, parseRtcp } from './rtcp.js';
import { PT_PCMA, PT_PCMU, packRtp, parseRtp } from './rtp-packet.js';
import { EventReceiver, eventPackets, parseEvent } from './telephone-event.js';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface RtpEndpoint {
  address: string;
  port: number;
}

export interface RtpSessionOptions {
  clock: Clock;
  onDigit?: (digit: string, durationMs: number) => void;
  /** RTCP report interval (ms). */
  rtcpIntervalMs?: number;
  jitterDepth?: number;
}

/** How long the latched source must be silent before another source may take over. */
const RELATCH_MS = 500;

export class RtpSession {
  readonly ssrc = randomInt(1, 0xffffffff);
  private seq = randomInt(0, 0xffff);
  private ts = randomInt(0, 0x7fffffff);
  private remote: RtpEndpoint | null = null;
  private remoteRtcp: RtpEndpoint | null = null;
  private latchedAt = 0;
  private latched = false;
  payloadType = PT_PCMU;
  eventPayloadType: number | null = 101;
  direction: Direction = 'sendrecv';
  private readonly jitter: JitterBuffer;
  private readonly rx = new ReceptionStats();
  private readonly events: EventReceiver;
  private readonly dtmfQueue: { marker: boolean; payload: Uint8Array }[][] = [];
  private dtmfTs = 0;
  private readonly enc = new Uint8Array(FRAME_SAMPLES);
  private readonly dec = new Int16Array(FRAME_SAMPLES * 2);
  private remoteSsrc = 0;
  private lastSr: { ntpMiddle: number; at: number } | null = null;
  private rtcpTimer: TimerHandle | null = null;
  private closed = false;
  /** The far end's view of our stream, from its receiver reports. */
  peerReport: RtcpReport['blocks'][number] | null = null;
  sent = 0;

  private constructor(
    private readonly rtp: Socket,
    private readonly rtcp: Socket,
    readonly localPort: number,
    o: RtpSessionOptions,
  ) {
    this.jitter = new JitterBuffer(o.jitterDepth ?? 3);
    this.events = new EventReceiver((d, ms) => o.onDigit?.(d, ms));
    rtp.on('message', (msg, rinfo) => this.onRtp(msg, rinfo.address, rinfo.port));
    rtcp.on('message', (msg) => this.onRtcp(msg));
    rtp.on('error', () => {});
    rtcp.on('error', () => {});
    this.rtcpTimer = o.clock.setInterval(() => this.sendReport(), o.rtcpIntervalMs ?? 5000);
  }

  static async open(ports: RtpPortAllocator, o: RtpSessionOptions): Promise<RtpSession> {
    const { rtp, rtcp, port } = await ports.open();
    return new RtpSession(rtp, rtcp, port, o);
  }

  /** Where to send (from the far end's SDP); symmetric RTP may move it to the real source. */
  setRemote(ep: RtpEndpoint | null): void {
    if (ep && this.remote && ep.address === this.remote.address && ep.port === this.remote.port) return;
    this.remote = ep;
    this.remoteRtcp = ep ? { address: ep.address, port: ep.port + 1 } : null;
    this.latched = false;
  }

  get remoteEndpoint(): RtpEndpoint | null {
    return this.remote;
  }

  /** Send one 20 ms frame (or, while a digit is going out, its telephone-event packets). */
  sendFrame(pcm: Frame): void {
    const send = this.direction === 'sendrecv' || this.direction === 'sendonly';
    const dtmf = this.dtmfQueue.shift();
    if (send && this.remote && !this.closed) {
      if (dtmf && dtmf.length > 0 && this.eventPayloadType !== null) {
        for (const p of dtmf) this.out(this.eventPayloadType, p.marker, this.dtmfTs, p.payload);
      } else {
        if (this.payloadType === PT_PCMA) encodeAlaw(pcm, this.enc);
        else encodeUlaw(pcm, this.enc);
        this.out(this.payloadType, false, this.ts, this.enc);
      }
    }
    this.ts = (this.ts + FRAME_SAMPLES) >>> 0;
    if (this.dtmfQueue.length > 0 && this.dtmfQueue[0]?.[0]?.marker) this.dtmfTs = this.ts;
  }

  /** Fill one 20 ms frame of received audio from the jitter buffer. */
  readFrame(out: Frame): PullResult {
    if (this.direction === 'sendonly' || this.direction === 'inactive') {
      out.fill(0);
      return 'silence';
    }
    return this.jitter.pull(out);
  }

  /** Queue digits as RFC 4733 events (100 ms each, 60 ms apart). */
  sendDigits(digits: string): void {
    for (const d of digits) {
      const wasIdle = this.dtmfQueue.length === 0;
      this.dtmfQueue.push(...eventPackets(d, 100), [], [], []);
      if (wasIdle) this.dtmfTs = this.ts;
    }
  }

  get dtmfPending(): boolean {
    return this.dtmfQueue.length > 0;
  }

  stats() {
    return { ...this.rx.snapshot(), jitterBuffer: { ...this.jitter.stats }, sent: this.sent, peer: this.peerReport };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.rtcpTimer?.cancel();
    this.rtp.close();
    this.rtcp.close();
  }

  private out(pt: number, marker: boolean, ts: number, payload: Uint8Array): void {
    const r = this.remote as RtpEndpoint;
    const pkt = packRtp({ payloadType: pt, marker, sequence: this.seq, timestamp: ts, ssrc: this.ssrc, payload });
    this.seq = (this.seq + 1) & 0xffff;
    this.sent++;
    this.rtp.send(pkt, r.port, r.address);
  }

  private onRtp(msg: Buffer, address: string, port: number): void {
    if (this.closed) return;
    const p = parseRtp(msg);
    if (!p) return;
    const now = Date.now();
    const fromRemote = this.remote && this.remote.address === address && this.remote.port === port;
    if (!fromRemote) {
      // Symmetric RTP: answer the source we hear (NAT), but never let a stranger take over a live stream.
      if (this.latched && now - this.latchedAt < RELATCH_MS) return;
      this.remote = { address, port };
      this.remoteRtcp = { address, port: port + 1 };
    }
    this.latched = true;
    this.latchedAt = now;
    this.remoteSsrc = p.ssrc;
    const arrival = Math.round(Number(process.hrtime.bigint() / 125000n));
    if (p.payloadType === this.eventPayloadType) {
      const e = parseEvent(p.payload);
      if (e) this.events.receive(p.timestamp, e);
      this.rx.update(p.sequence, p.timestamp, arrival);
      return;
    }
    let n: number;
    const payload = p.payload.length > this.dec.length ? p.payload.subarray(0, this.dec.length) : p.payload;
    if (p.payloadType === PT_PCMU) n = decodeUlaw(payload, this.dec);
    else if (p.payloadType === PT_PCMA) n = decodeAlaw(payload, this.dec);
    else return; // comfort noise and unknown payloads are ignored
    this.rx.update(p.sequence, p.timestamp, arrival);
    this.jitter.push(p.sequence, this.dec.subarray(0, n));
  }

  private onRtcp(msg: Buffer): void {
    for (const r of parseRtcp(msg)) {
      if (r.type === 'SR' && r.ntpMiddle !== undefined) this.lastSr = { ntpMiddle: r.ntpMiddle, at: Date.now() };
      const mine = r.blocks.find((b) => b.ssrc === this.ssrc);
      if (mine) this.peerReport = mine;
    }
  }

  private sendReport(): void {
    if (this.closed || !this.remoteRtcp) return;
    const lsr = this.lastSr?.ntpMiddle ?? 0;
    const dlsr = this.lastSr ? Math.round(((Date.now() - this.lastSr.at) / 1000) * 65536) : 0;
    const block = this.rx.snapshot().received > 0 ? this.rx.reportBlock(this.remoteSsrc, lsr, dlsr) : null;
    this.rtcp.send(packReceiverReport(this.ssrc, block), this.remoteRtcp.port, this.remoteRtcp.address);
  }
}
