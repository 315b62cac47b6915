/**
 * An agent's SIP phone as a HAL channel the ACD rings like an analog FXS port: ring() sends an
 * INVITE to the phone's registered contact (newest binding), the phone answering is `offHook`,
 * the phone hanging up (BYE) is `onHook`; when the box ends the call it sends BYE and reports
 * the phone back on hook. Kind 'sip' with `phone: true`.
 *
 * The phone may also place a call (an authenticated INVITE, see registrar.authorizeCall): the
 * channel reports `dial` with the number, answers 183 with the box's SDP at once (early media: what
 * the far end's line plays reaches the phone), and 200 OK when the box answers it (answer()). In a
 * call the phone may hand its far end to another extension with a blind REFER (`transfer`): 202,
 * NOTIFY 100 Trying, then NOTIFY 200 OK and BYE when the box took it, or NOTIFY 603 when refused.
 *
 * Dialling in a call (a SIP colleague, an analog one or an outside number alike) is a second call
 * (second-call.ts, `secondCall`): the engine makes it the call's consultation, and it is the phone's
 * audio while it lasts; a REFER with Replaces naming it (replaces.ts), answered or ringing, is
 * `transfer` with `replacesSecond`: the box hands the caller over, both dialogs end.
 */
import { type Invitation, Inviter, type Referral, type Session, SessionState } from 'sip.js';
import { FRAME_SAMPLES } from '../../audio.js';
import { BaseChannel } from '../../channel-base.js';
import type { CallerIdInfo, RingCadence } from '../../channel.js';
import { frameEnergyDbm0 } from '../../dsp/level.js';
import { invitePhone, type PhoneHost } from './phone-invite.js';
import { notifyRefer } from './refer-notify.js';
import { dialogMatches, readRefer } from './replaces.js';
import type { RtpSdh } from './rtp-sdh.js';
import { SecondCall } from './second-call.js';

export class SipPhoneChannel extends BaseChannel {
  readonly phone = true;
  private session: Session | null = null;
  /** The call the phone placed, until the box answers or refuses it. */
  private placing: Invitation | null = null;
  /** The session whose REFER the box is handling (NOTIFY 200 OK before its BYE). */
  private referring: Session | null = null;
  private readonly tx = new Int16Array(FRAME_SAMPLES);
  private readonly rx = new Int16Array(FRAME_SAMPLES);
  /** Level meter of what the phone sends (this call): loudest frame and frames above -30 dBm0. */
  readonly rxLevel = { peakDbm0: -100, loudFrames: 0 };
  /** Transfers asked by this phone (REFER), taken and refused. */
  readonly transfers = { taken: 0, refused: 0 };
  /** This phone's own second call while its call waits (the engine's consultation). */
  private second: SecondCall | null = null;

  constructor(
    id: string,
    /** The extension's user part (what the phone registers as). */
    readonly user: string,
    private readonly host: PhoneHost,
    private readonly onActive: () => void,
  ) {
    super(id, 'sip');
  }

  owns(s: Session): boolean {
    return this.session === s || this.second?.session === s;
  }

  get registered(): boolean {
    return this.host.registrar.contacts(this.user).length > 0;
  }

  /** Audio moves: in a call, or early media on a call the phone placed. */
  get mediaFlowing(): boolean {
    return this.state === 'active' || (this.state === 'dialing' && !!this.sdh()?.rtp?.remoteEndpoint);
  }

  async ring(opts: { cadence: RingCadence; callerId?: CallerIdInfo }): Promise<void> {
    if (this.state !== 'idle' || this.session || this.second) throw new Error(`${this.id}: phone busy (state ${this.state})`);
    const num = opts.callerId?.number && /^\+?[0-9]{1,32}$/.test(opts.callerId.number) ? opts.callerId.number : 'anonymous';
    const inviter: Inviter = invitePhone(this.host, this.user, num, opts.callerId?.name ?? null, (r) => this.onRefer(inviter, r));
    this.session = inviter;
    this.resetLevel();
    inviter.stateChange.addListener((st) => {
      if (this.session !== inviter) return;
      if (st === SessionState.Established) {
        this.setState('active');
        this.onActive();
        this.events.emit('offHook', {});
      } else if (st === SessionState.Terminated) this.gone();
    });
    this.setState('ringing');
    inviter.invite().catch(() => {
      if (this.session === inviter) {
        this.session = null;
        this.setState('idle');
      }
    });
  }

  /** The driver hands over an INVITE the phone sent (authenticated as this extension) to `number` (`extensionOnly`: see the `dial` event). */
  placeCall(inv: Invitation, number: string, extensionOnly = false): void {
    if (this.state === 'active' && this.session && !this.placing && !this.second) {
      // a second call while this one waits: `secondCall` (the phone's own hang-up of it: `secondHangup`)
      this.toSecond(inv, number).progress(() => this.onActive());
      return void this.events.emit('secondCall', { number, extensionOnly });
    }
    if (this.state !== 'idle' || this.session) {
      inv.reject({ statusCode: 486 }).catch(() => {});
      return;
    }
    this.session = inv;
    this.placing = inv;
    this.resetLevel();
    inv.delegate = { onRefer: (r) => this.onRefer(inv, r) };
    inv.stateChange.addListener((st) => {
      if (this.session !== inv) return;
      if (st === SessionState.Established) {
        this.placing = null;
        this.setState('active');
        this.onActive();
      } else if (st === SessionState.Terminated) this.gone();
    });
    this.setState('dialing');
    // Early media: 183 with the box's SDP, so what the far end's line plays reaches the phone.
    inv
      .progress({ statusCode: 183 })
      .then(() => {
        if (this.session === inv) this.onActive();
      })
      .catch(() => {});
    this.events.emit('dial', { number, extensionOnly });
  }

  private toSecond(inv: Invitation, number: string): SecondCall {
    const second: SecondCall = new SecondCall(inv, number, () => {
      if (this.second !== second) return; // the box ended it
      this.second = null;
      this.events.emit('secondHangup', {});
    });
    this.second = second;
    return second;
  }

  async answerSecond(): Promise<void> {
    if (!this.second) throw new Error(`${this.id}: no second call to answer`);
    await this.second.answer();
  }

  async hangupSecond(): Promise<void> {
    const second = this.second;
    this.second = null;
    await second?.end().catch(() => {});
  }

  /** Connect the call the phone placed (200 OK): the far end answered. */
  async answer(): Promise<void> {
    const inv = this.placing;
    if (!inv || this.session !== inv) throw new Error(`${this.id}: a phone is rung, not answered; use ring()`);
    this.placing = null;
    await inv.accept();
    this.setState('active');
    this.onActive();
  }

  /** The phone's own call not yet answered is refused 486 Busy Here for `cause` 'busy' (the extension it called is), else 480. */
  async hangup(cause?: 'busy'): Promise<void> {
    const s = this.session;
    const second = this.second;
    this.session = null;
    this.placing = null;
    this.second = null;
    const wasActive = this.state === 'active';
    try {
      // the transfer was taken: its final NOTIFY goes (and is answered) before the BYE
      if (s && this.referring === s) await notifyRefer(s, this.host.clock, '200 OK', true);
      if (s?.state === SessionState.Established) await s.bye();
      else if (s instanceof Inviter) await s.cancel();
      else if (s && (s.state === SessionState.Initial || s.state === SessionState.Establishing))
        await (s as Invitation).reject({ statusCode: cause === 'busy' ? 486 : 480 });
    } catch {
      // already gone
    }
    await second?.end().catch(() => {});
    this.referring = null;
    this.setState('idle');
    if (wasActive) this.events.emit('onHook', {});
  }

  async dial(_number: string): Promise<void> {
    throw new Error(`${this.id}: the box does not dial from an agent phone`);
  }

  async sendDigits(digits: string): Promise<void> {
    this.sdh()?.rtp?.sendDigits(digits);
  }

  signalledDigit(digit: string, durationMs: number): void {
    if (this.state === 'active') this.events.emit('digit', { digit, durationMs, source: 'signalled' });
  }

  mediaStats() {
    return this.sdh()?.rtp?.stats() ?? null;
  }

  tick(): void {
    if (!this.mediaFlowing) return;
    const rtp = this.sdh()?.rtp;
    if (!rtp) return;
    this.takeTx(this.tx);
    rtp.sendFrame(this.tx);
    rtp.readFrame(this.rx);
    const level = frameEnergyDbm0(this.rx);
    if (level > this.rxLevel.peakDbm0) this.rxLevel.peakDbm0 = level;
    if (level > -30) this.rxLevel.loudFrames++;
    this.deliverRx(this.rx);
  }

  /** The audio of the phone's call, or of its second call while that lasts. */
  private sdh(): RtpSdh | undefined {
    return this.second ? this.second.sdh : (this.session?.sessionDescriptionHandler as RtpSdh | undefined);
  }

  private resetLevel(): void {
    this.rxLevel.peakDbm0 = -100;
    this.rxLevel.loudFrames = 0;
  }

  /** The phone's session ended from its side (BYE, CANCEL, rejection); a second call of it ends too. */
  private gone(): void {
    const wasUp = this.state === 'active' || this.placing !== null;
    this.session = null;
    this.placing = null;
    this.referring = null;
    void this.hangupSecond();
    this.setState('idle');
    if (wasUp) this.events.emit('onHook', {});
  }

  /**
   * A REFER on the phone's call: blind (`transfer { target }`), or attended with Replaces naming the
   * phone's second call, answered or still ringing (its early dialog): `replacesSecond`, the target
   * the number it dialled. The box takes it by hanging this leg up while handling `transfer`.
   */
  private onRefer(s: Session, referral: Referral): void {
    const refer = readRefer(referral);
    if (!refer) return void referral.reject({ statusCode: 400 }).catch(() => {});
    const { replaces, dialog: r } = refer;
    const second = r && this.second && dialogMatches(this.second.session, r) ? this.second : null;
    const target = second ? second.number : refer.target;
    if (this.session !== s || this.state !== 'active' || (replaces ? !second : !/^[0-9*#+]{1,32}$/.test(target))) {
      this.transfers.refused++;
      referral.reject({ statusCode: 603 }).catch(() => {});
      return;
    }
    referral.accept({ statusCode: 202 }).catch(() => {});
    void notifyRefer(s, this.host.clock, '100 Trying', false);
    this.referring = s;
    this.events.emit('transfer', second ? { target, replacesSecond: true } : { target });
    if (this.session === s) {
      this.referring = null;
      this.transfers.refused++;
      void notifyRefer(s, this.host.clock, '603 Declined', true);
      return;
    }
    this.transfers.taken++;
  }
}
