/**
 * sip.js SessionDescriptionHandler for plain RTP: it opens an RtpSession on the first offer or
 * answer, writes the box's SDP (PCMU/PCMA, telephone-event, ptime 20) and points the session at
 * the far end's media. sip.js calls it for INVITE/200/ACK bodies and re-INVITEs (hold).
 */
import type { BodyAndContentType, SessionDescriptionHandler } from 'sip.js';
import type { Clock } from '../../clock.js';
import type { RtpPortAllocator } from './port-range.js';
import type { Direction } from './rtp-session.js';
import { RtpSession } from './rtp-session.js';
import { type MediaDescription, answerDirection, buildSdp, chooseCodec, parseSdp } from './sdp.js';

export interface RtpSdhDeps {
  clock: Clock;
  ports: RtpPortAllocator;
  /** The address written into SDP (the external address behind NAT). */
  mediaAddress: string;
  onDigit: (digit: string, durationMs: number) => void;
  /** The far end put the call on hold (an offer sendonly/inactive) or took it off (sendrecv/recvonly again). */
  onHold?: (held: boolean) => void;
}

export class RtpSdh implements SessionDescriptionHandler {
  rtp: RtpSession | null = null;
  private opening: Promise<RtpSession> | null = null;
  private remoteOffer: MediaDescription | null = null;
  private readonly sessionId = Math.floor(Math.random() * 1e9);
  private version = 0;
  /** The box puts the far end on hold with sendonly. */
  localDirection: Direction = 'sendrecv';
  closed = false;
  /** The far end holds the call (its last offer was sendonly or inactive). */
  private remoteHeld = false;
  /** Our last description was an offer: the next one set is its answer (not an offer to answer). */
  private offered = false;

  constructor(private readonly d: RtpSdhDeps) {}

  private session(): Promise<RtpSession> {
    if (!this.opening) {
      this.opening = RtpSession.open(this.d.ports, { clock: this.d.clock, onDigit: this.d.onDigit }).then((s) => {
        this.rtp = s;
        if (this.closed) s.close();
        return s;
      });
    }
    return this.opening;
  }

  async getDescription(): Promise<BodyAndContentType> {
    const rtp = await this.session();
    const offer = this.remoteOffer;
    this.remoteOffer = null;
    let media: MediaDescription;
    if (offer) {
      const codec = chooseCodec(offer) as number;
      const dir = answerDirection(offer.direction, this.localDirection);
      rtp.direction = dir;
      media = { address: this.d.mediaAddress, port: rtp.localPort, codecs: [codec], eventPt: offer.eventPt, direction: dir, ptime: 20 };
    } else {
      this.offered = true;
      media = {
        address: this.d.mediaAddress,
        port: rtp.localPort,
        codecs: [0, 8],
        eventPt: 101,
        direction: this.localDirection,
        ptime: 20,
      };
    }
    const body = buildSdp({ sessionId: this.sessionId, version: this.version++, address: this.d.mediaAddress }, media);
    return { body, contentType: 'application/sdp' };
  }

  hasDescription(contentType: string): boolean {
    return contentType.toLowerCase().startsWith('application/sdp');
  }

  /** An offer (INVITE, re-INVITE) or an answer (200 to our INVITE): throws → sip.js answers 488. */
  async setDescription(sdp: string): Promise<void> {
    const m = parseSdp(sdp);
    const codec = chooseCodec(m);
    if (codec === null) throw new Error('no common codec (PCMU/PCMA only)');
    const rtp = await this.session();
    rtp.payloadType = codec;
    rtp.eventPayloadType = m.eventPt;
    rtp.setRemote(m.port === 0 || m.address === '0.0.0.0' ? null : { address: m.address, port: m.port });
    rtp.direction = answerDirection(m.direction, this.localDirection);
    if (this.offered) {
      // the answer to our offer: our next description is an offer again (e.g. resuming from hold)
      this.offered = false;
      return;
    }
    this.remoteOffer = m; // an offer: answered by our next description
    const held = m.direction === 'sendonly' || m.direction === 'inactive';
    if (held !== this.remoteHeld) {
      this.remoteHeld = held;
      this.d.onHold?.(held);
    }
  }

  sendDtmf(tones: string): boolean {
    if (!this.rtp || this.rtp.eventPayloadType === null) return false;
    this.rtp.sendDigits(tones);
    return true;
  }

  close(): void {
    this.closed = true;
    this.rtp?.close();
  }
}
