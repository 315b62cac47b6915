/**
 * A SIP call leg as a HAL channel (kind 'sip'): an inbound call from a trunk rings it (ring +
 * caller ID from P-Asserted-Identity or From), answer() sends 200 OK with the box's SDP, hangup()
 * sends BYE / a rejection / CANCEL, dial() places an INVITE through the trunk. Audio moves one
 * 20 ms frame each driver tick while the leg is active.
 */
import { type Invitation, Inviter, type Session, SessionState, UserAgent } from 'sip.js';
import { FRAME_SAMPLES } from '../../audio.js';
import { BaseChannel } from '../../channel-base.js';
import type { CallerIdInfo, RingCadence } from '../../channel.js';
import type { RtpSdh } from './rtp-sdh.js';

export interface SipChannelHost {
  ua(): UserAgent;
  /** The URI to call a number through this channel's trunk. */
  dialUri(number: string): string;
}

/** Caller ID from P-Asserted-Identity (trusted trunk), else From. */
export function callerIdOf(inv: Invitation): CallerIdInfo {
  const pai = inv.request.getHeader('P-Asserted-Identity');
  const fromPai = pai ? /<?(?:sips?|tel):\+?([0-9*#]+)/i.exec(pai)?.[1] : undefined;
  const from = inv.remoteIdentity;
  const user = fromPai ?? from.uri.user ?? null;
  const number = user && /^\+?[0-9*#]{1,32}$/.test(user) ? user : null;
  const privacy = /\bid\b|\buser\b/i.test(inv.request.getHeader('Privacy') ?? '') || /^anonymous$/i.test(from.uri.user ?? '');
  const name = from.displayName && from.displayName !== 'Anonymous' ? from.displayName : null;
  return { number, name, absence: number ? null : privacy ? 'private' : 'unavailable' };
}

export class SipChannel extends BaseChannel {
  private session: Session | null = null;
  private readonly tx = new Int16Array(FRAME_SAMPLES);
  private readonly rx = new Int16Array(FRAME_SAMPLES);
  /** The DID the current inbound call was made to. */
  did: string | null = null;

  constructor(
    id: string,
    /** The IVR (or other target) calls on this channel are routed to; opaque to the HAL. */
    readonly route: string,
    private readonly host: SipChannelHost,
    private readonly onActive: () => void,
  ) {
    super(id, 'sip');
  }

  get busy(): boolean {
    return this.state !== 'idle' || this.session !== null;
  }

  owns(s: Session): boolean {
    return this.session === s;
  }

  /** The driver hands an inbound INVITE to this (idle) channel. */
  offer(inv: Invitation, did: string | null): void {
    this.session = inv;
    this.did = did;
    this.watch(inv, false);
    this.setState('ringing');
    inv.progress().catch(() => {});
    this.events.emit('ring', { count: 1 });
    this.events.emit('callerId', callerIdOf(inv));
  }

  async answer(): Promise<void> {
    const inv = this.session as Invitation | null;
    if (!inv || this.state !== 'ringing' || !('accept' in inv)) throw new Error(`${this.id}: nothing to answer (state ${this.state})`);
    await inv.accept();
    this.setState('active');
    this.onActive();
  }

  async hangup(): Promise<void> {
    const s = this.session;
    if (!s) {
      this.setState('idle');
      return;
    }
    this.session = null;
    try {
      if (s.state === SessionState.Established) await s.bye();
      else if (s instanceof Inviter) await s.cancel();
      else if (s.state === SessionState.Initial || s.state === SessionState.Establishing)
        await (s as Invitation).reject({ statusCode: 480 });
    } catch {
      // already gone
    }
    this.release();
  }

  async dial(number: string): Promise<void> {
    if (this.state !== 'idle') throw new Error(`${this.id}: line busy (state ${this.state})`);
    if (!/^\+?[0-9*#]{2,32}$/.test(number)) throw new Error(`${this.id}: cannot dial "${number}"`);
    const ua = this.host.ua();
    const uri = UserAgent.makeURI(this.host.dialUri(number));
    if (!uri) throw new Error(`${this.id}: bad dial URI for ${number}`);
    // Early media: a 183 with SDP from the provider (ringback, announcements) plays before the answer.
    const inviter = new Inviter(ua, uri, { earlyMedia: true });
    this.session = inviter;
    this.did = null;
    this.watch(inviter, true);
    this.setState('dialing');
    inviter
      .invite({ requestDelegate: { onProgress: () => (this.session === inviter && this.mediaFlowing ? this.onActive() : undefined) } })
      .catch(() => {
        if (this.session === inviter) this.gone('failed');
      });
  }

  async ring(_opts: { cadence: RingCadence; callerId?: CallerIdInfo }): Promise<void> {
    throw new Error(`${this.id}: a SIP trunk channel does not ring a phone`);
  }

  async sendDigits(digits: string): Promise<void> {
    const sdh = this.sdh();
    if (sdh?.rtp) sdh.rtp.sendDigits(digits);
  }

  /** Audio moves: the call is up, or the far end sent early media (183 with SDP) while it rings. */
  get mediaFlowing(): boolean {
    return this.state === 'active' || (this.state === 'dialing' && !!this.sdh()?.rtp?.remoteEndpoint);
  }

  /** One 20 ms media tick (driver). */
  tick(): void {
    if (!this.mediaFlowing) return;
    const rtp = this.sdh()?.rtp;
    if (!rtp) return;
    this.takeTx(this.tx);
    rtp.sendFrame(this.tx);
    rtp.readFrame(this.rx);
    this.deliverRx(this.rx);
  }

  /** RTP stats of the current leg (for tests and status). */
  mediaStats() {
    return this.sdh()?.rtp?.stats() ?? null;
  }

  /** RFC 4733 digit from the RTP session. */
  signalledDigit(digit: string, durationMs: number): void {
    if (this.state === 'active') this.events.emit('digit', { digit, durationMs, source: 'signalled' });
  }

  private sdh(): RtpSdh | undefined {
    return this.session?.sessionDescriptionHandler as RtpSdh | undefined;
  }

  private watch(s: Session, outbound: boolean): void {
    s.stateChange.addListener((st) => {
      if (this.session !== s) return;
      if (st === SessionState.Established && outbound) {
        this.setState('active');
        this.onActive();
        this.events.emit('answered', {});
      } else if (st === SessionState.Terminated) {
        this.gone(this.state === 'active' ? 'remote' : 'failed');
      }
    });
  }

  private gone(reason: 'remote' | 'failed'): void {
    const wasRinging = this.state === 'ringing';
    this.session = null;
    if (this.state === 'idle') return;
    this.release();
    if (wasRinging) this.events.emit('ringStopped', {});
    else this.events.emit('hangup', { reason });
  }

  private release(): void {
    this.did = null;
    this.setState('idle');
  }
}
