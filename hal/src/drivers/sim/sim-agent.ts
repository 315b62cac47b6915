/**
 * A simulated agent sitting at an analog phone on an FXS port. Lets it ring answerAfterS seconds,
 * lifts it, talks, and puts it down after talkS seconds or one second after the box hung up the call
 * (the agent hears reorder tone).
 */
import type { Frame } from '../../audio.js';
import type { Clock, TimerHandle } from '../../clock.js';
import { DtmfGenerator } from '../../dsp/dtmf-gen.js';
import type { SimChannel, SimParty } from './sim-channel.js';
import { SpeechSource } from './speech.js';

export interface SimAgentSettings {
  answerAfterS: number;
  talkS: number;
}

const HANG_UP_AFTER_REORDER_MS = 1000;
/** Dialling a code: lift, wait for dial tone, dial, listen to the confirmation, hang up. */
const DIAL_AFTER_LIFT_MS = 600;
const HANG_UP_AFTER_DIALLING_MS = 5000;

export class SimAgent implements SimParty {
  private timer: TimerHandle | null = null;
  private readonly voice: SpeechSource;
  private dtmf: DtmfGenerator | null = null;
  private dialling = false;

  constructor(
    private readonly channel: SimChannel,
    private readonly clock: Clock,
    private readonly settings: () => SimAgentSettings,
    speech: Int16Array | null,
    seed: number,
  ) {
    this.voice = new SpeechSource(speech, seed, [600, 1500]);
  }

  onBoxRing(): void {
    this.schedule(this.settings().answerAfterS * 1000, () => {
      this.channel.partyOffHook();
      this.schedule(this.settings().talkS * 1000, () => this.channel.partyHangsUp());
    });
  }

  onBoxHangup(): void {
    if (this.channel.state === 'active') {
      this.schedule(HANG_UP_AFTER_REORDER_MS, () => this.channel.partyHangsUp());
    } else {
      this.cancel(); // stopped ringing before we answered
    }
  }

  /** Lift the idle phone and dial `digits` (a feature code), then hang up. */
  dial(digits: string): void {
    if (this.channel.state !== 'idle') throw new Error(`${this.channel.id}: the phone is not idle`);
    this.dialling = true;
    this.channel.partyLifts();
    this.schedule(DIAL_AFTER_LIFT_MS, () => {
      this.dtmf = new DtmfGenerator(digits);
      this.schedule(HANG_UP_AFTER_DIALLING_MS, () => {
        this.dialling = false;
        this.channel.partyHangsUp();
      });
    });
  }

  /** Press keys during a call (e.g. *41, a call result), as DTMF audio. */
  press(digits: string): void {
    this.dtmf = new DtmfGenerator(digits);
  }

  hear(_frame: Frame): void {}

  speak(out: Frame): void {
    if (this.dtmf) {
      if (this.dtmf.read(out)) return;
      this.dtmf = null;
    }
    if (this.dialling) out.fill(0);
    else this.voice.read(out);
  }

  dispose(): void {
    this.cancel();
  }

  private schedule(ms: number, fn: () => void): void {
    this.cancel();
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      fn();
    }, ms);
  }

  private cancel(): void {
    this.timer?.cancel();
    this.timer = null;
  }
}
