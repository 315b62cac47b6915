/**
 * The GSM channel on an AT modem: one voice call at a time. Incoming: RING (+ +CLIP, or AT+CLCC
 * when the modem sends no caller ID), answer ATA, hang up ATH/AT+CHUP; outgoing: ATD<number>; and
 * AT+CLCC polling for the far end's answer and for calls that ended without NO CARRIER. DTMF out
 * with AT+VTS, in from +QTONEDET / +DTMF URCs (or in-band on the PCM audio). Audio: frames from the
 * USB PCM port when there is one, else a 20 ms clocked silence so the call's media keeps its pace.
 */
import { FRAME_MS, FRAME_SAMPLES, type Frame } from '../../audio.js';
import { BaseChannel } from '../../channel-base.js';
import type { CallerIdInfo, ChannelState, HangupReason, RingCadence } from '../../channel.js';
import type { Clock, TimerHandle } from '../../clock.js';
import { type AtCommand, AtError } from './at-command.js';
import type { Urc } from './at-urc.js';
import * as cmd from './commands.js';
import type { ModemStatus } from './modem-driver.js';
import type { ModemProfile } from './profiles.js';

export interface ModemLink {
  run<T>(c: AtCommand<T>): Promise<T>;
  /** The modem can take calls now (SIM ready, registered). */
  ready(): boolean;
  profile(): ModemProfile;
  /** Write one frame of PCM to the modem's audio port; false when there is none. */
  writeAudio(frame: Frame): boolean;
  hasAudioPort(): boolean;
  /** The driver's typed status (state, reason, signal, operator, …). */
  status(): ModemStatus;
}

export interface ModemChannelTiming {
  /** Wait this long after RING for +CLIP before asking AT+CLCC. */
  clipWaitMs: number;
  /** AT+CLCC while ringing (caller gave up?), dialing (answered?) and active (gone without NO CARRIER?). */
  pollMs: number;
}

export const DEFAULT_TIMING: ModemChannelTiming = { clipWaitMs: 800, pollMs: 2000 };

export class ModemChannel extends BaseChannel {
  private ringCount = 0;
  private callerIdSent = false;
  private polling = false;
  private clipTimer: TimerHandle | null = null;
  private poll: TimerHandle | null = null;
  private media: TimerHandle | null = null;
  private readonly rx = new Int16Array(FRAME_SAMPLES);
  private readonly tx = new Int16Array(FRAME_SAMPLES);
  /** Why the channel is unusable (shown by the health endpoint); null when fine. */
  reason: string | null = null;

  constructor(
    id: string,
    private readonly clock: Clock,
    private readonly link: ModemLink,
    private readonly timing: ModemChannelTiming = DEFAULT_TIMING,
  ) {
    super(id, 'gsm');
    this.setState('error');
    this.reason = 'modem not started';
  }

  /** The modem behind this channel: state, reason, profile, registration, signal dBm, operator. */
  get modem(): ModemStatus {
    return this.link.status();
  }

  // ---- box side ----

  async answer(): Promise<void> {
    if (this.state !== 'ringing') throw new Error(`${this.id}: nothing to answer (state ${this.state})`);
    this.stopTimers();
    try {
      await this.link.run(cmd.answer());
    } catch (e) {
      // NO CARRIER to ATA: the caller hung up just before the answer.
      if (e instanceof AtError && e.kind === 'callFailed') {
        this.endCall('remote');
        return;
      }
      throw e;
    }
    if (!this.is('ringing')) return; // caller left while ATA ran
    this.goActive();
  }

  async hangup(): Promise<void> {
    if (this.state === 'idle' || this.state === 'error') return;
    this.stopTimers();
    this.setState('idle');
    try {
      await this.link.run(cmd.hangup(this.link.profile().hangup));
    } catch (e) {
      // The call is over for the box either way; a modem that does not answer is the driver's fault handling.
      this.events.emit('error', { code: 'HANGUP_FAILED', message: (e as Error).message });
    }
  }

  async dial(number: string): Promise<void> {
    if (this.state !== 'idle') throw new Error(`${this.id}: line busy (state ${this.state}${this.reason ? `: ${this.reason}` : ''})`);
    const c = cmd.dial(number);
    this.setState('dialing');
    try {
      await this.link.run(c);
    } catch (e) {
      if (!this.is('dialing')) return;
      this.setState('idle');
      if (e instanceof AtError && e.kind === 'callFailed') {
        this.events.emit('hangup', { reason: 'failed' });
        return;
      }
      throw e;
    }
    if (this.is('dialing')) this.startPoll();
  }

  async ring(_opts: { cadence: RingCadence; callerId?: CallerIdInfo }): Promise<void> {
    throw new Error(`${this.id}: a GSM channel does not ring a phone`);
  }

  async sendDigits(digits: string): Promise<void> {
    for (const d of digits) await this.link.run(cmd.dtmf(d));
  }

  // ---- driver side ----

  /** The modem became usable (idle) or not (error with a reason). A call in progress ends cleanly. */
  setUsable(usable: boolean, reason: string | null): void {
    this.reason = usable ? null : reason;
    if (usable) {
      if (this.state === 'error') this.setState('idle');
      return;
    }
    this.endCall('remote');
    this.setState('error');
    this.events.emit('error', { code: 'MODEM_UNAVAILABLE', message: reason ?? 'modem unavailable' });
  }

  urc(u: Urc): void {
    switch (u.type) {
      case 'ring':
        this.onRing();
        return;
      case 'clip':
        if (this.state === 'ringing') this.sendCallerId(u.number, u.validity);
        return;
      case 'callEnd':
        this.onCallEnd(u.cause);
        return;
      case 'dtmf':
        // With PCM audio the in-band detector hears the same tone: one source only.
        if (this.state === 'active' && !this.link.hasAudioPort())
          this.events.emit('digit', { digit: u.digit, durationMs: 100, source: 'signalled' });
        return;
      case 'clcc': {
        const call = cmd.parseClcc(u.line);
        if (call) this.onCalls([call]);
        return;
      }
      default:
    }
  }

  /** One frame from the modem's PCM port. */
  audioIn(frame: Frame): void {
    if (this.state !== 'active') return;
    this.deliverRx(frame);
    this.takeTx(this.tx);
    this.link.writeAudio(this.tx);
  }

  private onRing(): void {
    if (this.state === 'idle') {
      if (!this.link.ready()) return;
      this.ringCount = 0;
      this.callerIdSent = false;
      this.setState('ringing');
      this.clipTimer = this.clock.setTimeout(() => void this.callerIdFromClcc(), this.timing.clipWaitMs);
      this.startPoll();
    }
    if (this.state !== 'ringing') return;
    this.ringCount++;
    this.events.emit('ring', { count: this.ringCount });
  }

  private sendCallerId(number: string | null, validity: number): void {
    if (this.callerIdSent) return;
    this.callerIdSent = true;
    this.clipTimer?.cancel();
    this.clipTimer = null;
    // +CLIP CLI validity: 0 valid, 1 withheld by the caller, 2 not available (network)
    const absence = number ? null : validity === 1 ? 'private' : 'unavailable';
    this.events.emit('callerId', { number, name: null, absence });
  }

  private async callerIdFromClcc(): Promise<void> {
    this.clipTimer = null;
    if (this.state !== 'ringing' || this.callerIdSent) return;
    try {
      const calls = await this.link.run(cmd.listCalls());
      const inc = calls.find((c) => !c.outgoing && (c.stat === 4 || c.stat === 5));
      if (this.state === 'ringing') this.sendCallerId(inc?.number ?? null, inc?.number ? 0 : 2);
    } catch {
      if (this.state === 'ringing') this.sendCallerId(null, 2);
    }
  }

  private startPoll(): void {
    this.poll?.cancel();
    this.poll = this.clock.setInterval(() => void this.pollCalls(), this.timing.pollMs);
  }

  private async pollCalls(): Promise<void> {
    if (this.state !== 'ringing' && this.state !== 'dialing' && this.state !== 'active') return;
    if (this.polling) return; // one AT+CLCC at a time: a slow modem must not fill the queue
    let calls: cmd.CallInfo[];
    this.polling = true;
    try {
      calls = await this.link.run(cmd.listCalls());
    } catch {
      return; // the driver's health check deals with a modem that stopped answering
    } finally {
      this.polling = false;
    }
    this.onCalls(calls);
    if (calls.filter((c) => c.voice).length === 0) {
      if (this.state === 'ringing') this.endCall('remote');
      else if (this.state === 'dialing') this.endCall('failed');
      else if (this.state === 'active') this.endCall('remote');
    }
  }

  private onCalls(calls: cmd.CallInfo[]): void {
    if (this.state === 'dialing' && calls.some((c) => c.outgoing && c.stat === 0)) {
      this.goActive();
      this.events.emit('answered', {});
    }
  }

  private onCallEnd(cause: string): void {
    if (this.state === 'idle' || this.state === 'error') return;
    // While dialing, BUSY / NO ANSWER / NO CARRIER all mean the call was not set up.
    void cause;
    this.endCall(this.state === 'dialing' ? 'failed' : 'remote');
  }

  /** The far end is gone (or the modem is): ringing → ringStopped, otherwise hangup. */
  private endCall(reason: HangupReason): void {
    const was = this.state;
    if (was === 'idle' || was === 'error') return;
    this.stopTimers();
    this.setState('idle');
    if (was === 'ringing') this.events.emit('ringStopped', {});
    else this.events.emit('hangup', { reason });
  }

  private goActive(): void {
    this.stopTimers();
    this.setState('active');
    this.startPoll();
    if (!this.link.hasAudioPort()) {
      // No PCM port: keep the call's media clocked with silence (IVR prompts still time out and play on).
      this.media = this.clock.setInterval(() => {
        if (this.state !== 'active') return;
        this.rx.fill(0);
        this.deliverRx(this.rx);
        this.takeTx(this.tx);
      }, FRAME_MS);
    }
  }

  /** The state now (after awaits; defeats TypeScript's narrowing from before the await). */
  private is(s: ChannelState): boolean {
    return this.state === s;
  }

  private stopTimers(): void {
    this.clipTimer?.cancel();
    this.clipTimer = null;
    this.poll?.cancel();
    this.poll = null;
    this.media?.cancel();
    this.media = null;
  }
}
