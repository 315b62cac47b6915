/**
 * A simulated port: FXO line, FXS phone port or GSM modem channel. The box drives it through the
 * Channel interface; a simulated person (SimParty) on the far side drives it through the party-side
 * methods below. Audio flows only while the channel is active, one frame per hat tick.
 */
import { FRAME_SAMPLES, type Frame } from '../../audio.js';
import { BaseChannel } from '../../channel-base.js';
import type { CallerIdInfo, ChannelKind, HangupReason, RingCadence } from '../../channel.js';
import type { Clock, TimerHandle } from '../../clock.js';

/** The simulated person at the far end of a channel. */
export interface SimParty {
  /** The box answered (fxo/gsm) or the box is ringing this party's phone (fxs). */
  onBoxAnswer?(): void;
  onBoxRing?(callerId: CallerIdInfo | undefined): void;
  /** The box hung up / stopped ringing. */
  onBoxHangup?(): void;
  /** One 20 ms frame the box sent to this party. */
  hear(frame: Frame): void;
  /** Fill one 20 ms frame of what this party sends to the box. */
  speak(out: Frame): void;
  /** The party is gone; release timers. */
  dispose(): void;
}

export class SimChannel extends BaseChannel {
  party: SimParty | null = null;
  private ringTimer: TimerHandle | null = null;
  private ringCount = 0;
  private readonly tx = new Int16Array(FRAME_SAMPLES);
  private readonly rx = new Int16Array(FRAME_SAMPLES);
  /** FXS: the box is ringing the phone with this caller ID. */
  ringingWith: CallerIdInfo | undefined;

  constructor(
    id: string,
    kind: ChannelKind,
    private readonly clock: Clock,
    private readonly onActivity: () => void,
    /** The simulated network: who answers a number this channel dials (set by the hat). */
    private readonly onDial: (ch: SimChannel, number: string) => void = () => {},
  ) {
    super(id, kind);
  }

  // ---- box side (Channel interface) ----

  async answer(): Promise<void> {
    if (this.kind === 'fxs') throw new Error(`${this.id}: an FXS port cannot answer; ring() the phone`);
    if (this.state !== 'ringing') throw new Error(`${this.id}: nothing to answer (state ${this.state})`);
    this.stopRingTimer();
    this.setState('active');
    this.onActivity();
    this.party?.onBoxAnswer?.();
  }

  async hangup(): Promise<void> {
    this.stopRingTimer();
    const party = this.party;
    if (this.kind === 'fxs' && this.state === 'active') {
      // The phone stays off hook (hearing reorder) until the agent puts it down.
      party?.onBoxHangup?.();
      return;
    }
    if (this.state === 'idle') return;
    this.release();
    party?.onBoxHangup?.();
  }

  async dial(number: string): Promise<void> {
    if (this.kind === 'fxs') throw new Error(`${this.id}: an FXS port does not dial out`);
    if (this.state !== 'idle') throw new Error(`${this.id}: line busy (state ${this.state})`);
    if (!/^\+?[0-9]{3,20}$/.test(number)) throw new Error(`${this.id}: cannot dial "${number}"`);
    this.setState('dialing');
    this.onDial(this, number);
  }

  /** The dialled party answers (outbound call). */
  partyAnswers(): void {
    if (this.state !== 'dialing') return;
    this.setState('active');
    this.onActivity();
    this.events.emit('answered', {});
  }

  async ring(opts: { cadence: RingCadence; callerId?: CallerIdInfo }): Promise<void> {
    if (this.kind !== 'fxs') throw new Error(`${this.id}: only FXS ports ring a phone`);
    if (this.state !== 'idle') throw new Error(`${this.id}: phone busy (state ${this.state})`);
    this.ringingWith = opts.callerId;
    this.setState('ringing');
    this.party?.onBoxRing?.(opts.callerId);
  }

  async sendDigits(_digits: string): Promise<void> {
    // The simulated far end ignores digits the box sends.
  }

  // ---- party side ----

  /** A caller starts ringing this line (fxo/gsm). Rings follow the cadence until answered or stopped. */
  partyCalls(cadence: RingCadence, callerId: CallerIdInfo, callerIdDelayMs: number): void {
    if (this.state !== 'idle') throw new Error(`${this.id}: line busy (state ${this.state})`);
    this.ringCount = 0;
    this.setState('ringing');
    const period = cadence.pattern.reduce((a, b) => a + b, 0) || 5000;
    const ringOnce = () => {
      this.ringCount++;
      this.events.emit('ring', { count: this.ringCount });
    };
    ringOnce();
    this.clock.setTimeout(() => {
      if (this.state === 'ringing' || this.state === 'active') this.events.emit('callerId', callerId);
    }, callerIdDelayMs);
    this.ringTimer = this.clock.setInterval(() => {
      if (this.state === 'ringing') ringOnce();
    }, period);
  }

  /** The far-end person hangs up (fxo/gsm: line released; fxs: phone put down). */
  partyHangsUp(): void {
    const wasRinging = this.state === 'ringing';
    if (this.state === 'idle') return;
    this.release();
    if (this.kind === 'fxs') {
      this.events.emit('onHook', {});
    } else if (wasRinging) {
      this.events.emit('ringStopped', {});
    } else {
      const reason: HangupReason = this.kind === 'fxo' ? 'polarity' : 'remote';
      if (this.kind === 'fxo') this.events.emit('polarityReversal', {});
      this.events.emit('hangup', { reason });
    }
  }

  /** FXS: the agent lifts the ringing phone. */
  partyOffHook(): void {
    if (this.kind !== 'fxs' || this.state !== 'ringing') return;
    this.ringingWith = undefined;
    this.setState('active');
    this.onActivity();
    this.events.emit('offHook', {});
  }

  /** FXS: the agent lifts an idle phone (to dial a feature code or a number). */
  partyLifts(): void {
    if (this.kind !== 'fxs' || this.state !== 'idle') return;
    this.setState('active');
    this.onActivity();
    this.events.emit('offHook', {});
  }

  /** FXS: a hook flash (a short on-hook break, as the HAT's line profile times it). */
  partyFlashes(): void {
    if (this.kind === 'fxs' && this.state === 'active') this.events.emit('flash', {});
  }

  /** One 20 ms tick of audio both ways. Called by the hat while active. */
  tick(): void {
    if (this.state !== 'active' || !this.party) return;
    this.takeTx(this.tx);
    this.party.hear(this.tx);
    this.party.speak(this.rx);
    this.deliverRx(this.rx);
  }

  private release(): void {
    this.stopRingTimer();
    this.ringingWith = undefined;
    this.setState('idle');
    if (this.kind === 'fxs') return; // the agent stays at the phone
    const party = this.party;
    this.party = null;
    party?.dispose();
  }

  private stopRingTimer(): void {
    this.ringTimer?.cancel();
    this.ringTimer = null;
  }
}
