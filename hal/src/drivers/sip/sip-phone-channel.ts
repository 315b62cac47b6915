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
 */
import { type Invitation, Inviter, type Referral, type Session, SessionState, UserAgent } from 'sip.js';
import { FRAME_SAMPLES } from '../../audio.js';
import { BaseChannel } from '../../channel-base.js';
import type { CallerIdInfo, RingCadence } from '../../channel.js';
import type { Clock } from '../../clock.js';
import { frameEnergyDbm0 } from '../../dsp/level.js';
import type { Registrar } from './registrar.js';
import type { RtpSdh } from './rtp-sdh.js';

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

  constructor(
    id: string,
    /** The extension's user part (what the phone registers as). */
    readonly user: string,
    private readonly host: { ua(): UserAgent; registrar: Registrar; boxHost: string; clock: Clock },
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

  /** Audio moves: in a call, or early media on a call the phone placed. */
  get mediaFlowing(): boolean {
    return this.state === 'active' || (this.state === 'dialing' && !!this.sdh()?.rtp?.remoteEndpoint);
  }

  async ring(opts: { cadence: RingCadence; callerId?: CallerIdInfo }): Promise<void> {
    if (this.state !== 'idle' || this.session) throw new Error(`${this.id}: phone busy (state ${this.state})`);
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
      delegate: { onRefer: (r) => this.onRefer(inviter, r) },
    });
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

  /** The driver hands over an INVITE the phone sent (authenticated as this extension) to `number`. */
  placeCall(inv: Invitation, number: string): void {
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
    this.events.emit('dial', { number });
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

  async hangup(): Promise<void> {
    const s = this.session;
    this.session = null;
    this.placing = null;
    const wasActive = this.state === 'active';
    try {
      // the transfer was taken: its final NOTIFY goes (and is answered) before the BYE
      if (s && this.referring === s) await this.notifyRefer(s, '200 OK', true);
      if (s?.state === SessionState.Established) await s.bye();
      else if (s instanceof Inviter) await s.cancel();
      else if (s && (s.state === SessionState.Initial || s.state === SessionState.Establishing))
        await (s as Invitation).reject({ statusCode: 480 });
    } catch {
      // already gone
    }
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

  private sdh(): RtpSdh | undefined {
    return this.session?.sessionDescriptionHandler as RtpSdh | undefined;
  }

  private resetLevel(): void {
    this.rxLevel.peakDbm0 = -100;
    this.rxLevel.loudFrames = 0;
  }

  /** The phone's session ended from its side (BYE, CANCEL, rejection). */
  private gone(): void {
    const wasUp = this.state === 'active' || this.placing !== null;
    this.session = null;
    this.placing = null;
    this.referring = null;
    this.setState('idle');
    if (wasUp) this.events.emit('onHook', {});
  }

  /** A blind transfer (REFER): the box takes it by hanging this leg up while handling `transfer`. */
  private onRefer(s: Session, referral: Referral): void {
    let target = '';
    let replaces: string | undefined;
    try {
      target = referral.referTo.uri.user ?? '';
      replaces = referral.replaces;
    } catch {
      referral.reject({ statusCode: 400 }).catch(() => {});
      return;
    }
    // Attended transfer (Refer-To with Replaces) is not supported yet: refused, the call goes on.
    if (this.session !== s || this.state !== 'active' || replaces || !/^[0-9*#+]{1,32}$/.test(target)) {
      this.transfers.refused++;
      referral.reject({ statusCode: replaces ? 501 : 603 }).catch(() => {});
      return;
    }
    referral.accept({ statusCode: 202 }).catch(() => {});
    void this.notifyRefer(s, '100 Trying', false);
    this.referring = s;
    this.events.emit('transfer', { target });
    if (this.session === s) {
      this.referring = null;
      this.transfers.refused++;
      void this.notifyRefer(s, '603 Declined', true);
    } else this.transfers.taken++;
  }

  /** NOTIFY of the REFER's implicit subscription (RFC 3515 §2.4.4): a sipfrag with the outcome; resolves when answered (or after 2 s). */
  private notifyRefer(s: Session, status: string, final: boolean): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.host.clock.setTimeout(resolve, 2000);
      const done = () => {
        timer.cancel();
        resolve();
      };
      try {
        s.dialog?.notify(
          { onAccept: done, onReject: done },
          {
            extraHeaders: ['Event: refer', `Subscription-State: ${final ? 'terminated;reason=noresource' : 'active;expires=60'}`],
            body: { contentDisposition: 'render', contentType: 'message/sipfrag;version=2.0', content: `SIP/2.0 ${status}\r\n` },
          },
        );
      } catch {
        done(); // dialog gone: nothing to notify
      }
    });
  }
}
