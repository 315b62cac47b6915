/**
 * A simulated agent sitting at an analog phone on an FXS port. Lets it ring answerAfterS seconds,
 * lifts it, talks, and puts it down after talkS seconds or one second after the box hung up the call
 * (the agent hears reorder tone).
 */
import type { Frame } from '../../audio.js';
import type { Clock, TimerHandle } from '../../clock.js';
import type { SimChannel, SimParty } from './sim-channel.js';
import { SpeechSource } from './speech.js';

export interface SimAgentSettings {
  answerAfterS: number;
  talkS: number;
}

const HANG_UP_AFTER_REORDER_MS = 1000;

export class SimAgent implements SimParty {
  private timer: TimerHandle | null = null;
  private readonly voice: SpeechSource;

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

  hear(_frame: Frame): void {}

  speak(out: Frame): void {
    this.voice.read(out);
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
