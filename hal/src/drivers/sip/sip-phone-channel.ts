/**
 * An agent's SIP phone as a HAL channel the ACD rings like an analog FXS port: ring() sends an
 * INVITE to the phone's registered contact (newest binding), the phone answering is `offHook`,
 * the phone hanging up (BYE) is `onHook`; when the box ends the call it sends BYE and reports
 * the phone back on hook. Kind 'sip' with `phone: true`.
 */
import { Inviter, type Session, SessionState, UserAgent } from 'sip.js';
import { FRAME_SAMPLES } from '../../audio.js';
import { BaseChannel } from '../../channel-base.js';
import type { CallerIdInfo, RingCadence } from '../../channel.js';
import { frameEnergyDbm0 } from '../../dsp/level.js';
import type { Registrar } from './registrar.js';
import type { RtpSdh } from './rtp-sdh.js';

export class SipPhoneChannel extends BaseChannel {
  readonly phone = true;
  private session: Session | null = null;
  private readonly tx = new Int16Array(FRAME_SAMPLES);
  private readonly rx = new Int16Array(FRAME_SAMPLES);
  /** Level meter of what the phone sends (this call): loudest frame and frames above -30 dBm0. */
  readonly rxLevel = { peakDbm0: -100, loudFrames: 0 };

  constructor(
    id: string,
    /** The extension's user part (what the phone registers as). */
    readonly user: string,
    private readonly host: { ua(): UserAgent; registrar: Registrar; boxHost: string },
    private readonly onActive: () => void,
  ) {
    super(id, 'sip');
  }

  owns(s: Session): boolean {
    return this.session === s;
  }

  get registered(): boolean {
    return this.host.registrar.contacts(this.user).length > 0;
  }

  async ring(opts: { cadence: RingCadence; callerId?: CallerIdInfo }): Promise<void> {
    if (this.state !== 'idle') throw new Error(`${this.id}: phone busy (state ${this.state})`);
    const b = this.host.registrar.contacts(this.user)[0];
    if (!b) throw new Error(`${this.id}: extension ${this.user} is not registered`);
    const c = UserAgent.makeURI(b.contact);
    if (!c) throw new Error(`${this.id}: bad contact ${b.contact}`);
    // Behind NAT the contact names a private address: send where the REGISTER came from.
    if (c.host !== b.address || (c.port ?? 5060) !== b.port) {
      c.host = b.address;
      c.port = b.port;
    }
    const num = opts.callerId?.number && /^\+?[0-9]{1,32}$/.test(opts.callerId.number) ? opts.callerId.number : 'anonymous';
    const inviter = new Inviter(this.host.ua(), c, {
      params: {
        fromUri: UserAgent.makeURI(`sip:${num}@${this.host.boxHost}`),
        ...(opts.callerId?.name ? { fromDisplayName: opts.callerId.name } : {}),
        toUri: UserAgent.makeURI(`sip:${this.user}@${this.host.boxHost}`),
      },
    });
    this.session = inviter;
    this.rxLevel.peakDbm0 = -100;
    this.rxLevel.loudFrames = 0;
    inviter.stateChange.addListener((st) => {
      if (this.session !== inviter) return;
      if (st === SessionState.Established) {
        this.setState('active');
        this.onActive();
        this.events.emit('offHook', {});
      } else if (st === SessionState.Terminated) {
        const wasActive = this.state === 'active';
        this.session = null;
        this.setState('idle');
        if (wasActive) this.events.emit('onHook', {});
      }
    });
    this.setState('ringing');
    inviter.invite().catch(() => {
      if (this.session === inviter) {
        this.session = null;
        this.setState('idle');
      }
    });
  }

  async hangup(): Promise<void> {
    const s = this.session;
    this.session = null;
    const wasActive = this.state === 'active';
    try {
      if (s?.state === SessionState.Established) await s.bye();
      else if (s instanceof Inviter) await s.cancel();
    } catch {
      // already gone
    }
    this.setState('idle');
    if (wasActive) this.events.emit('onHook', {});
  }

  async answer(): Promise<void> {
    throw new Error(`${this.id}: a phone is rung, not answered; use ring()`);
  }

  async dial(_number: string): Promise<void> {
    throw new Error(`${this.id}: the box does not dial from an agent phone`);
  }

  async sendDigits(digits: string): Promise<void> {
    (this.session?.sessionDescriptionHandler as RtpSdh | undefined)?.rtp?.sendDigits(digits);
  }

  signalledDigit(digit: string, durationMs: number): void {
    if (this.state === 'active') this.events.emit('digit', { digit, durationMs, source: 'signalled' });
  }

  mediaStats() {
    return (this.session?.sessionDescriptionHandler as RtpSdh | undefined)?.rtp?.stats() ?? null;
  }

  tick(): void {
    if (this.state !== 'active') return;
    const rtp = (this.session?.sessionDescriptionHandler as RtpSdh | undefined)?.rtp;
    if (!rtp) return;
    this.takeTx(this.tx);
    rtp.sendFrame(this.tx);
    rtp.readFrame(this.rx);
    const level = frameEnergyDbm0(this.rx);
    if (level > this.rxLevel.peakDbm0) this.rxLevel.peakDbm0 = level;
    if (level > -30) this.rxLevel.loudFrames++;
    this.deliverRx(this.rx);
  }
}
